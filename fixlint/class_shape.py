"""The shape of a legacy wrapper, read from a class body: ``__init__`` makes the wrapped object
(``self._unified_mock = create_compliance_mock()``), sets state of its own (``self.messages = []``),
and methods copy that state back from the wrapped object (``self.messages = self._unified_mock.messages``).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst
import libcst.matchers as m

from fixlint.facts import WrapperShape
from fixlint.literals import dotted_name

SELF_ATTRIBUTE = m.Attribute(value=m.Name("self"), attr=m.Name())


class _SelfAssignments(cst.CSTVisitor):
    """``self.<name> = <value>`` and ``self.<holder>.<name>`` reads in one method."""

    def __init__(self) -> None:
        super().__init__()
        self.assigned: list[tuple[str, cst.BaseExpression]] = []
        self.reads: list[tuple[str, str]] = []  # (holder, name) for ``self.<holder>.<name>``

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if m.matches(target.target, SELF_ATTRIBUTE):
                self.assigned.append((target.target.attr.value, node.value))  # type: ignore[attr-defined]

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and m.matches(node.target, SELF_ATTRIBUTE):
            self.assigned.append((node.target.attr.value, node.value))  # type: ignore[attr-defined]

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if m.matches(node.value, SELF_ATTRIBUTE):
            self.reads.append((node.value.attr.value, node.attr.value))  # type: ignore[attr-defined]


def wrapper_shape(node: cst.ClassDef) -> Optional[WrapperShape]:
    methods = [statement for statement in node.body.body if isinstance(statement, cst.FunctionDef)]
    per_method: dict[str, _SelfAssignments] = {}
    for method in methods:
        visitor = _SelfAssignments()
        method.visit(visitor)
        per_method[method.name.value] = visitor
    init = per_method.get("__init__")
    if init is None:
        return None
    made = {name: value for name, value in init.assigned if isinstance(value, cst.Call)}
    for wrapped, call in made.items():
        factory = dotted_name(call.func)
        if factory is None:
            continue
        wrapped_read = m.Attribute(value=m.Attribute(value=m.Name("self"), attr=m.Name(wrapped)))
        own_state = [name for name, value in init.assigned if name != wrapped and not m.findall(value, wrapped_read)]
        copied_back = sorted({
            name
            for visitor in per_method.values()
            for name, value in visitor.assigned
            if name in own_state and m.matches(value, wrapped_read)
        })
        if not own_state or not copied_back:
            continue
        offered = sorted({name for visitor in per_method.values() for holder, name in visitor.reads if holder == wrapped})
        attributes = {name for visitor in per_method.values() for name, _ in visitor.assigned}
        members = sorted(name for name in attributes | set(per_method) if not name.startswith("_") and name != wrapped)
        adapted = sorted(
            method.name.value for method in methods
            if method.name.value in offered and not method.name.value.startswith("_") and not _passes_through(method, wrapped)
        )
        return WrapperShape(wrapped, factory, bool(call.args), sorted(set(own_state)), copied_back, offered, members, adapted)
    return None


def _passes_through(method: cst.FunctionDef, wrapped: str) -> bool:
    """The body only hands the call to ``self.<wrapped>.<same name>`` with the method's own
    parameters (or returns that attribute), and copies attributes back from the wrapped object."""
    name = method.name.value
    params = {param.name.value for param in (*method.params.posonly_params, *method.params.params, *method.params.kwonly_params)}
    for star in (method.params.star_arg, method.params.star_kwarg):
        if isinstance(star, cst.Param):
            params.add(star.name.value)
    target = m.Attribute(value=m.Attribute(value=m.Name("self"), attr=m.Name(wrapped)), attr=m.Name(name))
    statements = list(method.body.body) if isinstance(method.body, cst.IndentedBlock) else [method.body]
    small = [s for line in statements for s in (line.body if isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else [line])]
    if small and m.matches(small[0], m.Expr(value=m.SimpleString() | m.ConcatenatedString())):
        small = small[1:]  # the docstring
    delegates = False
    for statement in small:
        value = statement.value if isinstance(statement, (cst.Expr, cst.Return)) else None
        if isinstance(value, cst.Await):
            value = value.expression
        if isinstance(value, cst.Call) and m.matches(value.func, target) and all(
            isinstance(arg.value, cst.Name) and arg.value.value in params for arg in value.args
        ):
            delegates = True
        elif isinstance(statement, cst.Return) and statement.value is not None and m.matches(statement.value, target):
            delegates = True
        elif not (
            isinstance(statement, cst.Pass)
            or (
                isinstance(statement, cst.Assign)
                and len(statement.targets) == 1
                and m.matches(statement.targets[0].target, SELF_ATTRIBUTE)
                and m.matches(statement.value, m.Attribute(value=m.Attribute(value=m.Name("self"), attr=m.Name(wrapped))))
            )
        ):
            return False
    return delegates
