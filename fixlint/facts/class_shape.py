"""The shape of a legacy wrapper, read from a class body: ``__init__`` makes the wrapped object
(``self._unified_mock = create_compliance_mock()``), sets state of its own (``self.messages = []``),
and methods copy that state back from the wrapped object (``self.messages = self._unified_mock.messages``).
"""

from __future__ import annotations

import ast
from typing import Optional, Union

from fixlint.facts.model import WrapperShape
from fixlint.facts.syntax import FUNCTIONS, children, dotted_name, unstarred


def _self_attribute(node: ast.AST) -> Optional[str]:
    """``<name>`` of ``self.<name>``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _reads_wrapped(node: ast.AST, wrapped: str) -> bool:
    """``self.<wrapped>.<anything>``."""
    return isinstance(node, ast.Attribute) and _self_attribute(node.value) == wrapped


class _SelfAssignments:
    """``self.<name> = <value>`` and ``self.<holder>.<name>`` reads in one method, in source order."""

    def __init__(self, method: ast.AST) -> None:
        self.assigned: list[tuple[str, ast.AST]] = []
        self.reads: list[tuple[str, str]] = []
        self._visit(method)

    def _visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = _self_attribute(target)
                if name is not None:
                    self.assigned.append((name, node.value))
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            name = _self_attribute(node.target)
            if name is not None:
                self.assigned.append((name, node.value))
        elif isinstance(node, ast.Attribute):
            holder = _self_attribute(node.value)
            if holder is not None:
                self.reads.append((holder, node.attr))
        for child in children(node):
            self._visit(child)


def wrapper_shape(node: ast.ClassDef) -> Optional[WrapperShape]:
    methods = [statement for statement in node.body if isinstance(statement, FUNCTIONS)]
    per_method = {method.name: _SelfAssignments(method) for method in methods}
    init = per_method.get("__init__")
    if init is None:
        return None
    made = {name: value for name, value in init.assigned if isinstance(value, ast.Call)}
    for wrapped, call in made.items():
        factory = dotted_name(call.func)
        if factory is None:
            continue
        own_state = [
            name
            for name, value in init.assigned
            if name != wrapped and not any(_reads_wrapped(inner, wrapped) for inner in ast.walk(value))
        ]
        copied_back = sorted(
            {
                name
                for visitor in per_method.values()
                for name, value in visitor.assigned
                if name in own_state and _reads_wrapped(value, wrapped)
            }
        )
        if not own_state or not copied_back:
            continue
        offered = sorted(
            {name for visitor in per_method.values() for holder, name in visitor.reads if holder == wrapped}
        )
        attributes = {name for visitor in per_method.values() for name, _ in visitor.assigned}
        members = sorted(name for name in attributes | set(per_method) if not name.startswith("_") and name != wrapped)
        has_arguments = bool(call.args or call.keywords)
        adapted = sorted(
            method.name
            for method in methods
            if method.name in offered and not method.name.startswith("_") and not _passes_through(method, wrapped)
        )
        return WrapperShape(
            wrapped, factory, has_arguments, sorted(set(own_state)), copied_back, offered, members, adapted
        )
    return None


def _passes_through(method: Union[ast.FunctionDef, ast.AsyncFunctionDef], wrapped: str) -> bool:
    """The body only hands the call once to ``self.<wrapped>.<same name>`` with the method's own
    parameters and returns what it answers (directly, or through a variable read only by the
    ``return``), or returns that attribute, and copies attributes back from the wrapped object."""
    arguments = method.args
    params = {
        a.arg
        for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg)
        if a
    }

    def is_target(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == method.name and _self_attribute(node.value) == wrapped

    def delegates_call(node: Optional[ast.expr]) -> bool:
        if isinstance(node, ast.Await):
            node = node.value
        return (
            isinstance(node, ast.Call)
            and is_target(node.func)
            and all(
                isinstance(value, ast.Name) and value.id in params
                for value in [*map(unstarred, node.args), *[k.value for k in node.keywords]]
            )
        )

    statements = list(method.body)
    first = statements[0] if statements else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, (str, bytes))
    ):
        statements = statements[1:]  # the docstring
    delegations = 0
    held = None  # the variable that holds the wrapped method's answer until the ``return``
    for statement in statements:
        value = statement.value if isinstance(statement, (ast.Expr, ast.Return, ast.Assign, ast.AnnAssign)) else None
        target = _single_target(statement)
        if isinstance(statement, (ast.Expr, ast.Return)) and delegates_call(value):
            delegations += 1
        elif isinstance(target, ast.Name) and held is None and delegates_call(value):
            delegations += 1
            held = target.id
        elif isinstance(statement, ast.Return) and statement.value is not None and is_target(statement.value):
            delegations += 1
        elif isinstance(statement, ast.Return) and held is not None and _is_name(statement.value, held):
            held = None
        elif not (
            isinstance(statement, ast.Pass)
            or (
                isinstance(statement, ast.Assign)
                and target is not None
                and _self_attribute(target) is not None
                and isinstance(statement.value, ast.Attribute)
                and _self_attribute(statement.value.value) == wrapped
            )
        ):
            return False
    # Every other statement reads only ``self`` and parameters: the ``return`` is the held
    # variable's one reader. Kept and never returned, the answer is dropped: not the mock's.
    return delegations == 1 and held is None


def _single_target(statement: ast.stmt) -> Optional[ast.expr]:
    """The one target of ``x = ...`` or ``x: T = ...``."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        return statement.targets[0]
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        return statement.target
    return None


def _is_name(node: Optional[ast.expr], name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name
