"""The modules a module's top-level statements skip it without (``pytest.importorskip("redis")``,
``redis = importorskip("redis.asyncio")``): where one is missing, pytest skips the module, and an
import of it below does not fail the collection."""

from __future__ import annotations

import ast
from collections.abc import Iterator

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def import_skips(module: ast.Module) -> list[str]:
    """The top-level names of the modules ``importorskip`` calls at module level name, in order."""
    skipped: list[str] = []
    for node in _module_level(module.body):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        argument = node.args[0]
        if callee == "importorskip" and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            top = argument.value.partition(".")[0]
            if top and top not in skipped:
                skipped.append(top)
    return skipped


def _module_level(statements: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node that runs when the module is imported: function and class bodies left out."""
    pending: list[ast.AST] = list(statements)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, _DEFINITIONS):
            pending.extend(ast.iter_child_nodes(node))
