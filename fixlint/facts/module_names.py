"""The names a module binds at its top level, as ``from module import name`` and a star import
see them: every assignment, definition and import of the module body, its ``if``/``try``/``with``/
loop blocks included (either branch may be the one that runs), and a literal ``__all__``. And the
first name its import certainly fails on (``unbound_at_import``)."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Optional

from fixlint.facts.syntax import top_level_statements


@dataclass
class ModuleNames:
    names: list[str] = field(default_factory=list)
    exports: Optional[list[str]] = None  # a literal ``__all__``; None when there is none
    # Names made at run time fixlint cannot list: a module ``__getattr__``, ``globals()``, ``exec``,
    # an ``__all__`` that is not a literal.
    dynamic: bool = False
    # The first name (and its line) the import of the module reads and nothing binds: a NameError
    # at import (``unbound_at_import``).
    unbound: Optional[tuple[str, int]] = None


def module_names(module: ast.Module) -> ModuleNames:
    found = ModuleNames()
    bound: dict[str, None] = {}
    for statement in top_level_statements(module.body):
        for name in _bound(statement):
            bound[name] = None
        if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            _read_all(statement, found)
        elif isinstance(statement, ast.Expr):
            _read_all_call(statement.value, found)
        if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for node in ast.walk(statement):
                if isinstance(node, ast.Name) and node.id in ("globals", "exec", "vars"):
                    found.dynamic = True
    found.names = list(bound)
    if "__getattr__" in bound:
        found.dynamic = True
    if not found.dynamic:
        found.unbound = unbound_at_import(module, bound)
    return found


_BUILTINS = frozenset(dir(builtins))


def unbound_at_import(module: ast.Module, top_level: Collection[str]) -> Optional[tuple[str, int]]:
    """The first name an unconditional top-level statement reads when the module is imported (a
    decorator, a base class, a default, a value) that no statement of the module ever binds and
    that is no builtin: importing the module raises NameError there. None when there is none, or
    when the module's names cannot be listed (a star import, ``global`` in a function, a ``match``
    statement); the caller leaves out modules with ``globals()``/``exec`` writes. ``top_level``:
    names the module's top-level statements bind (``module_names``), known bound without a walk."""
    reads = [
        (name, line)
        for statement in module.body
        for name, line in _read_at_import(statement)
        if name not in top_level and name not in _BUILTINS and not (name.startswith("__") and name.endswith("__"))
    ]
    if not reads:  # the whole module is walked only for a name its top level does not bind
        return None
    bound = set()
    for node in ast.walk(module):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            return None  # binds what the other module binds
        if isinstance(node, ast.Global) or type(node).__name__ == "Match":
            return None
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return next(((name, line) for name, line in reads if name not in bound), None)


def _read_at_import(statement: ast.stmt) -> Iterator[tuple[str, int]]:
    """The names a top-level statement reads as it runs, in order, where running it cannot be
    skipped or its error caught: not in blocks (``if``, ``try``, ``with``, loops), not in the
    bodies of functions, classes, lambdas and comprehensions, not in annotations."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = statement.args
        parts: list[ast.AST] = [*statement.decorator_list, *arguments.defaults]
        parts += [default for default in arguments.kw_defaults if default is not None]
    elif isinstance(statement, ast.ClassDef):
        parts = [*statement.decorator_list, *statement.bases, *(keyword.value for keyword in statement.keywords)]
    elif isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign)):
        parts = [statement.value]
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        parts = [statement.value]
    else:
        return
    for part in parts:
        yield from _loads(part)


def _loads(node: ast.AST) -> Iterator[tuple[str, int]]:
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        yield node.id, node.lineno
    for child in ast.iter_child_nodes(node):
        yield from _loads(child)


def _bound(statement: ast.stmt) -> Iterator[str]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        for alias in statement.names:
            if alias.name != "*":
                yield alias.asname or alias.name.split(".")[0]
    elif isinstance(statement, ast.Assign):
        for target in statement.targets:
            yield from _target_names(target)
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        yield from _target_names(statement.target)
    elif isinstance(statement, (ast.For, ast.AsyncFor)):
        yield from _target_names(statement.target)
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        for item in statement.items:
            if item.optional_vars is not None:
                yield from _target_names(item.optional_vars)
    elif isinstance(statement, ast.Try):
        for handler in statement.handlers:
            if handler.name:
                yield handler.name
    for node in ast.walk(statement) if not isinstance(statement, (ast.FunctionDef, ast.ClassDef)) else ():
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            yield node.target.id


def _target_names(target: ast.AST) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _strings(node: Optional[ast.AST]) -> Optional[list[str]]:
    if isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(element, ast.Constant) and isinstance(element.value, str) for element in node.elts
    ):
        return [element.value for element in node.elts]  # type: ignore[attr-defined]
    return None


def _read_all(statement: ast.stmt, found: ModuleNames) -> None:
    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]  # type: ignore[attr-defined]
    if not any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
        return
    values = _strings(statement.value)  # type: ignore[attr-defined]
    if values is None:
        found.dynamic = True
    elif isinstance(statement, ast.AugAssign):
        found.exports = [*(found.exports or []), *values]
    else:
        found.exports = values


def _read_all_call(call: ast.expr, found: ModuleNames) -> None:
    """``__all__.extend([...])`` and ``__all__.append("x")``."""
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "__all__"
    ):
        return
    argument = call.args[0] if len(call.args) == 1 else None
    values = [argument.value] if isinstance(argument, ast.Constant) and isinstance(argument.value, str) else None
    values = values if call.func.attr == "append" else _strings(argument) if call.func.attr == "extend" else None
    if values is None:
        found.dynamic = True
    else:
        found.exports = [*(found.exports or []), *values]
