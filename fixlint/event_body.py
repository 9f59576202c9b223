"""What one function's body shows about events: what it calls and sends, and how it checks
what was sent (``assert "agent_started" in types``, loops over a required list, set
differences, helpers). Nested functions, lambdas and classes are their own business: their
statements are not the function's."""

from __future__ import annotations

from typing import Callable, Optional, Union

import libcst as cst
import libcst.matchers as m

from fixlint.facts import EventCheck, EventLoop, FunctionBody, Span
from fixlint.literals import dotted_name, string_value

# What the standard helper reads off each event; a list of types read another way (``e["type"]``,
# ``e.event_type``) does not check what the helper checks.
HELPER_KEY = "event_type"
TYPE_OF_EVENT = m.OneOf(
    m.Subscript(slice=[m.SubscriptElement(slice=m.Index(value=m.SimpleString()))]),
    m.Call(func=m.Attribute(attr=m.Name("get")), args=[m.Arg(value=m.SimpleString())]),
)
NEGATING = (cst.NotIn, cst.NotEqual, cst.IsNot)


def _key_read(node: cst.BaseExpression) -> Optional[str]:
    """``type`` of ``e["type"]`` or ``e.get("type")``."""
    if not m.matches(node, TYPE_OF_EVENT):
        return None
    key = node.slice[0].slice.value if isinstance(node, cst.Subscript) else node.args[0].value  # type: ignore[union-attr, attr-defined]
    return string_value(key)


def _reads_helper_key(node: cst.BaseExpression) -> bool:
    """``e["event_type"]`` or ``e.get("event_type")``."""
    return _key_read(node) == HELPER_KEY


class _BodyVisitor(cst.CSTVisitor):
    def __init__(self, body: FunctionBody, top: set[int], span_of: Callable[[cst.CSTNode], Span], code_of: Callable[[cst.CSTNode], str]) -> None:
        super().__init__()
        self.body = body
        self.top = top  # ids of the function's own statements
        self.span_of = span_of
        self.code_of = code_of
        self.assert_depth = 0
        self.negated = 0  # inside ``not``, ``not in``, ``!=``: a string there is not checked for
        self.attribute_names: set[int] = set()  # the ``attr`` of ``x.attr``: not a name read

    # Nested scopes are not the function's statements.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._key(node)

    def _key(self, node: cst.BaseExpression) -> None:
        key = _key_read(node)
        if key is not None:
            self.body.keys.append(key)

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            key = string_value(element.key) if isinstance(element, cst.DictElement) else None
            if key is not None:
                self.body.keys.append(key)

    def visit_Call(self, node: cst.Call) -> None:
        self._key(node)
        callee = dotted_name(node.func)
        if callee is None and isinstance(node.func, cst.Attribute):
            callee = f"<expression>.{node.func.attr.value}"  # ``Bridge(events).notify_agent_started()``
        if callee:
            self.body.called.append(callee)
            if callee in ("pytest.fail", "fail"):
                self.body.has_assert = True

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is not None and "AssertionError" in self.code_of(node.exc):
            self.body.has_assert = True

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = string_value(node)
        if value is None:
            return
        if not self.assert_depth:
            self.body.strings.append(value)
        elif not self.negated:
            self.body.asserted_strings.append(value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if any(isinstance(target.operator, NEGATING) for target in node.comparisons):
            self.negated += 1

    def leave_Comparison(self, original_node: cst.Comparison) -> None:
        if any(isinstance(target.operator, NEGATING) for target in original_node.comparisons):
            self.negated -= 1

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if isinstance(node.operator, cst.Not):
            self.negated += 1

    def leave_UnaryOperation(self, original_node: cst.UnaryOperation) -> None:
        if isinstance(original_node.operator, cst.Not):
            self.negated -= 1

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        """``REQUIRED - set(types)``: the required constant is what is checked."""
        left = dotted_name(node.left)
        if isinstance(node.operator, cst.Subtract) and left is not None:
            self.body.differences.append(left)

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) not in self.attribute_names:
            self.body.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attribute_names.add(id(node.attr))
        owner = dotted_name(node.value)
        if owner is not None:
            self.body.names.append(f"{owner}.{node.attr.value}")
        # ``REQUIRED.difference(types)``
        if node.attr.value == "difference" and owner is not None:
            self.body.differences.append(owner)

    def visit_Assert(self, node: cst.Assert) -> None:
        self.assert_depth += 1
        self.body.has_assert = True

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self.assert_depth -= 1

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        """``assert "<event>" in <collection>``, a statement of its own in the function's body."""
        check = m.SimpleStatementLine(body=[m.Assert(test=m.Comparison(comparisons=[m.ComparisonTarget(operator=m.In())]))])
        if id(node) in self.top and m.matches(node, check):
            test = node.body[0].test  # type: ignore[attr-defined]
            event = string_value(test.left)
            if event is not None:
                self.body.event_checks.append(EventCheck(event, self.code_of(test.comparisons[0].comparator), self.span_of(node)))

    def visit_For(self, node: cst.For) -> None:
        """``for event in REQUIRED: assert event in types``, the loop's only statement."""
        iterated = dotted_name(node.iter)
        statements = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        if iterated is None or not isinstance(node.target, cst.Name) or len(statements) != 1 or node.orelse is not None:
            return
        check = m.SimpleStatementLine(
            body=[m.Assert(test=m.Comparison(left=m.Name(node.target.value), comparisons=[m.ComparisonTarget(operator=m.In())]))]
        )
        if m.matches(statements[0], check):
            comparator = statements[0].body[0].test.comparisons[0].comparator  # type: ignore[attr-defined]
            self.body.event_loops.append(EventLoop(iterated, self.code_of(comparator), self.span_of(node), id(node) in self.top))

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.body.locals.append(target.target.value)
                source = _types_source(node.value)
                if source is not None:
                    self.body.derived[target.target.value] = source


def _types_source(value: cst.BaseExpression) -> Optional[str]:
    """``[e["event_type"] for e in sent]`` (or a set of them, or ``set(...)`` of one): ``sent``,
    when it is a plain name and nothing filters the events."""
    if isinstance(value, cst.Call) and dotted_name(value.func) in ("set", "list", "frozenset", "sorted") and len(value.args) == 1:
        value = value.args[0].value
    comprehension: Union[cst.ListComp, cst.SetComp, cst.GeneratorExp, None] = (
        value if isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) else None
    )
    if comprehension is None or not _reads_helper_key(comprehension.elt):
        return None
    loop = comprehension.for_in
    if loop.ifs or loop.inner_for_in is not None or not isinstance(loop.iter, cst.Name):
        return None
    return loop.iter.value


def function_body(
    node: cst.FunctionDef, qualname: str, default_indent: str,
    span_of: Callable[[cst.CSTNode], Span], code_of: Callable[[cst.CSTNode], str],
) -> FunctionBody:
    span = span_of(node.name)
    block = node.body
    statements = list(block.body) if isinstance(block, cst.IndentedBlock) else []
    params = [param.name.value for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params)]
    if statements:
        last = span_of(statements[-1])
        # A statement added at the end goes at the last statement's own indentation.
        indent = ("\t" if default_indent.startswith("\t") else " ") * (last.column - 1)
        body = FunctionBody(qualname, span.line, span.column, node.asynchronous is not None, last.end_line, indent, params=params)
    else:  # ``def f(): ...`` on one line: nothing can be added after it
        body = FunctionBody(qualname, span.line, span.column, node.asynchronous is not None, 0, "", params=params)
    block.visit(_BodyVisitor(body, {id(statement) for statement in statements}, span_of, code_of))
    body.sort_names()
    return body
