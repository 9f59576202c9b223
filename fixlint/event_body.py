"""What one function's body shows about events: what it calls and sends, and how it checks
what was sent (``assert "agent_started" in types``, loops over a required list, helpers)."""

from __future__ import annotations

from typing import Callable, Optional

import libcst as cst
import libcst.matchers as m

from fixlint.class_shape import dotted_name
from fixlint.facts import EventCheck, EventLoop, FunctionBody, Span

# ``e["event_type"]``, ``e.get("type")``, ``e.event_type``: reading an event's type off an event.
TYPE_KEYS = ("event_type", "type")
TYPE_OF_EVENT = m.OneOf(
    m.Subscript(slice=[m.SubscriptElement(slice=m.Index(value=m.SimpleString()))]),
    m.Call(func=m.Attribute(attr=m.Name("get")), args=[m.Arg(value=m.SimpleString()), m.ZeroOrMore()]),
    m.Attribute(attr=m.OneOf(*(m.Name(key) for key in TYPE_KEYS))),
)


def _string(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _type_key(node: cst.BaseExpression) -> bool:
    """The expression reads ``event_type`` (or ``type``) off an event."""
    if not m.matches(node, TYPE_OF_EVENT):
        return False
    if isinstance(node, cst.Attribute):
        return True
    if isinstance(node, cst.Subscript):
        key = node.slice[0].slice.value  # type: ignore[union-attr]
    else:
        key = node.args[0].value  # type: ignore[attr-defined]
    return _string(key) in TYPE_KEYS


class _BodyVisitor(cst.CSTVisitor):
    def __init__(self, body: FunctionBody, span_of: Callable[[cst.CSTNode], Span], code_of: Callable[[cst.CSTNode], str]) -> None:
        super().__init__()
        self.body = body
        self.span_of = span_of
        self.code_of = code_of
        self.assert_depth = 0
        self.lines: list[cst.SimpleStatementLine] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.lines.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.lines.pop()

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        if callee:
            self.body.called.append(callee)
            if callee in ("pytest.fail", "fail"):
                self.body.has_assert = True

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is not None and "AssertionError" in self.code_of(node.exc):
            self.body.has_assert = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = _string(node)
        if value is not None:
            (self.body.asserted_strings if self.assert_depth else self.body.strings).append(value)

    def visit_Name(self, node: cst.Name) -> None:
        self.body.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        owner = dotted_name(node.value)
        if owner is not None:
            self.body.names.append(f"{owner}.{node.attr.value}")

    def visit_Assert(self, node: cst.Assert) -> None:
        self.assert_depth += 1
        self.body.has_assert = True
        test = node.test
        line = self.lines[-1] if self.lines else None
        if (
            isinstance(test, cst.Comparison)
            and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.In)
            and _string(test.left) is not None
            and line is not None
            and len(line.body) == 1
        ):
            self.body.event_checks.append(
                EventCheck(_string(test.left), self.code_of(test.comparisons[0].comparator), self.span_of(line))  # type: ignore[arg-type]
            )

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self.assert_depth -= 1

    def visit_For(self, node: cst.For) -> None:
        """``for event in REQUIRED: assert event in types`` (the loop's only statement)."""
        iterated = dotted_name(node.iter)
        statements = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if iterated is None or not isinstance(node.target, cst.Name) or len(statements) != 1 or node.orelse is not None:
            return
        check = m.SimpleStatementLine(
            body=[m.Assert(test=m.Comparison(left=m.Name(node.target.value), comparisons=[m.ComparisonTarget(operator=m.In())]))]
        )
        if m.matches(statements[0], check):
            comparator = statements[0].body[0].test.comparisons[0].comparator  # type: ignore[attr-defined]
            self.body.event_loops.append(EventLoop(iterated, self.code_of(comparator), self.span_of(node)))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.body.locals.append(target.target.value)
                source = _types_source(node.value)
                if source is not None:
                    self.body.derived[target.target.value] = self.code_of(source)


def _types_source(value: cst.BaseExpression) -> Optional[cst.BaseExpression]:
    """``[e["event_type"] for e in sent]`` (or a set, or ``set(...)`` of one): ``sent``."""
    if isinstance(value, cst.Call) and dotted_name(value.func) in ("set", "list", "frozenset", "sorted") and value.args:
        value = value.args[0].value
    if isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and _type_key(value.elt):
        return value.for_in.iter
    return None


def function_body(
    node: cst.FunctionDef, qualname: str, default_indent: str,
    span_of: Callable[[cst.CSTNode], Span], code_of: Callable[[cst.CSTNode], str],
) -> FunctionBody:
    span = span_of(node.name)
    block = node.body
    last = block.body[-1] if isinstance(block, cst.IndentedBlock) and block.body else None
    end_line = span_of(last).end_line if last is not None else span.line
    # Where a statement added at the end goes: the last statement's own indentation.
    width = span_of(last).column - 1 if last is not None else 0
    indent = ("\t" if default_indent.startswith("\t") else " ") * width
    body = FunctionBody(qualname, span.line, span.column, node.asynchronous is not None, end_line, indent)
    node.body.visit(_BodyVisitor(body, span_of, code_of))
    return body
