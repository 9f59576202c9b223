"""What simple ``ast`` expressions say, and the order LibCST visits a node's children in: source
order, which ``ast``'s field order is not for a few nodes (decorators come first, a call's
keywords mix with its positional arguments, a dict's keys with its values)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Callable, Optional, Union

SKIPPED_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "kind", "conversion", "is_async", "level"})
COMPOUND = tuple(
    getattr(ast, name)
    for name in (
        "FunctionDef",
        "AsyncFunctionDef",
        "ClassDef",
        "If",
        "For",
        "AsyncFor",
        "While",
        "With",
        "AsyncWith",
        "Try",
        "TryStar",
        "Match",
    )
    if hasattr(ast, name)
)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


# The blocks whose statements run at their module's top level when the block runs.
_TOP_LEVEL_BLOCKS = (ast.If, ast.Try, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith)


def top_level_statements(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module body and of its ``if``/``try``/``with``/loop/``match`` blocks
    (any branch may be the one that runs), in order; not those of functions and classes."""
    for statement in statements:
        yield statement
        if isinstance(statement, _TOP_LEVEL_BLOCKS):
            for block in ("body", "orelse", "finalbody"):
                yield from top_level_statements(getattr(statement, block, []))
            for handler in getattr(statement, "handlers", []):
                yield from top_level_statements(handler.body)
        elif type(statement).__name__ in ("Match", "TryStar"):  # 3.10 and 3.11 nodes (the code runs on 3.9)
            for part in getattr(statement, "cases", []) or [statement]:
                yield from top_level_statements(getattr(part, "body", []))
            for handler in getattr(statement, "handlers", []):
                yield from top_level_statements(handler.body)


def dotted_name(node: ast.AST) -> Optional[str]:
    """``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        return constant_name(node)
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def string_value(node: Optional[ast.AST]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def string_expression(node: ast.AST) -> Optional[list[tuple[bool, str]]]:
    """The parts of a str expression of literals and dotted names joined by ``+``
    (``PREFIX + "ion"``), each (is a name, the name or the literal); None for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = string_expression(node.left), string_expression(node.right)
        return None if left is None or right is None else left + right
    if isinstance(node, ast.Constant):
        return [(False, node.value)] if isinstance(node.value, str) else None
    if isinstance(node, (ast.Name, ast.Attribute)):
        dotted = dotted_name(node)
        return [(True, dotted)] if dotted else None
    return None


def is_name(node: Optional[ast.AST], name: str) -> bool:
    """A ``Name`` in LibCST's sense, which includes ``True``, ``False`` and ``None``."""
    if isinstance(node, ast.Name):
        return node.id == name
    return isinstance(node, ast.Constant) and node.value is NAMED_CONSTANTS.get(name, NotImplemented)


NAMED_CONSTANTS = {"True": True, "False": False, "None": None}


def constant_name(node: ast.Constant) -> Optional[str]:
    """``"True"`` for the constant ``True``: LibCST reads these three as names."""
    value = node.value
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    return None


# Patterns that bind or name something, which LibCST holds as names: ``case x``, ``case [*rest]``,
# ``case {**rest}``, ``case Point(x=0)``, and the singletons of ``case None``.
PATTERNS_WITH_NAMES = tuple(
    getattr(ast, name)
    for name in ("MatchAs", "MatchStar", "MatchMapping", "MatchClass", "MatchSingleton")
    if hasattr(ast, name)
)


def pattern_names(node: ast.AST) -> list[str]:
    names = [getattr(node, "name", None), getattr(node, "rest", None), *getattr(node, "kwd_attrs", ())]
    if hasattr(node, "value") and not isinstance(node.value, ast.AST):  # ``MatchSingleton``
        names.append(repr(node.value))
    return [name for name in names if name]


def unstarred(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node


def call_arguments(call: ast.Call) -> list[tuple[Optional[str], ast.expr, str]]:
    """(keyword, value, star) of each argument, in source order, as LibCST's ``Call.args``."""
    arguments: list[tuple[Optional[str], ast.expr, str, Union[ast.expr, ast.keyword]]] = [
        (None, unstarred(arg), "*" if isinstance(arg, ast.Starred) else "", arg) for arg in call.args
    ]
    arguments += [(kw.arg, kw.value, "" if kw.arg is not None else "**", kw) for kw in call.keywords]
    if call.keywords and call.args:
        arguments.sort(key=lambda item: (item[3].lineno, item[3].col_offset))
    return [(keyword, value, star) for keyword, value, star, _ in arguments]


def keyword_value(call: ast.Call, name: str) -> Optional[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def string_list(node: ast.AST) -> Optional[list[str]]:
    """A string, or a list or tuple of strings, as in ``usefixtures`` and ``indirect``."""
    single = string_value(node)
    if single is not None:
        return [single]
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [string_value(unstarred(element)) for element in node.elts]
        if all(value is not None for value in values):
            return [value for value in values if value is not None]
    return None


def string_collection(node: ast.AST) -> Optional[list[str]]:
    """``["a", "b"]``, ``{"a", "b"}``, ``("a",)``, ``set([...])``, ``frozenset({...})``, and the keys
    of ``{"a": ..., "b": ...}`` (what ``in`` and a loop over it read)."""
    if isinstance(node, ast.Call) and dotted_name(node.func) in ("set", "frozenset", "list", "tuple"):
        arguments = call_arguments(node)
        if len(arguments) == 1:
            node = arguments[0][1]
    elements: list = []
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        elements = node.elts
    elif isinstance(node, ast.Dict) and all(key is not None for key in node.keys):
        elements = node.keys
    if elements:
        values = [string_value(unstarred(element)) for element in elements]
        if all(value is not None for value in values):
            return [value for value in values if value is not None]
    return None


def _by_position(nodes: list) -> list:
    return sorted(nodes, key=lambda node: (node.lineno, node.col_offset))


def _function_children(node: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> list:
    return [
        *node.decorator_list,
        *getattr(node, "type_params", ()),
        node.args,
        *([node.returns] if node.returns else []),
        *node.body,
    ]


def _class_children(node: ast.ClassDef) -> list:
    return [
        *node.decorator_list,
        *getattr(node, "type_params", ()),
        *_by_position([*node.bases, *node.keywords]),
        *node.body,
    ]


def _call_children(node: ast.Call) -> list:
    return [
        node.func,
        *(_by_position([*node.args, *node.keywords]) if node.keywords and node.args else [*node.args, *node.keywords]),
    ]


def _dict_children(node: ast.Dict) -> list:
    return [child for key, value in zip(node.keys, node.values) for child in (key, value) if child is not None]


def _arguments_children(node: ast.arguments) -> list:
    """Each parameter followed by its default, as LibCST's ``Param`` holds both."""
    positional = [*node.posonlyargs, *node.args]
    defaults: list = [None] * (len(positional) - len(node.defaults)) + list(node.defaults)
    children: list = []
    for parameter, default in [
        *zip(positional, defaults),
        (node.vararg, None),
        *zip(node.kwonlyargs, node.kw_defaults),
        (node.kwarg, None),
    ]:
        children += [child for child in (parameter, default) if child is not None]
    return children


ORDERED: dict[type, Callable[..., list]] = {
    ast.FunctionDef: _function_children,
    ast.AsyncFunctionDef: _function_children,
    ast.ClassDef: _class_children,
    ast.Call: _call_children,
    ast.Dict: _dict_children,
    ast.IfExp: lambda node: [node.body, node.test, node.orelse],
    ast.arguments: _arguments_children,
}
_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: ast.AST) -> list:
    """The child nodes, in source order."""
    kind = type(node)
    ordered = ORDERED.get(kind)
    if ordered is not None:
        return ordered(node)
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(name for name in kind._fields if name not in SKIPPED_FIELDS)
    found: list = []
    for name in fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            found += [item for item in value if isinstance(item, ast.AST)]
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


def line_groups(statements: list) -> list[list]:
    """The statements grouped by the line they share (``a = 1; b = 2``): LibCST's
    ``SimpleStatementLine``; a compound statement is a group of its own."""
    groups: list[list] = []
    for statement in statements:
        previous = groups[-1][-1] if groups else None
        if (
            previous is not None
            and not isinstance(statement, COMPOUND)
            and not isinstance(previous, COMPOUND)
            and statement.lineno == previous.end_lineno
        ):
            groups[-1].append(statement)
        else:
            groups.append([statement])
    return groups


class SourceOrderVisitor:
    """A walk of a tree in source order (``children``); a subclass says what ``visit`` does."""

    def visit(self, node: ast.AST) -> None:
        raise NotImplementedError

    def visit_children(self, node: ast.AST) -> None:
        for child in children(node):
            self.visit(child)
