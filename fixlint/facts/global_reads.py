"""Which of a module's top-level names its own code reads, by Python's scopes: a read in a
function, a class body, a lambda or a comprehension is of the module's name where no nearer
scope binds it (``global`` sends it there; a class body's names are not seen from the functions
in it); a string annotation reads the names written in it. As LibCST's scope analysis counts
them, which a fix's rewrite once asked: a read before the statement that binds the name in its
own scope (``env = env.get(...)``, a function's import below its first use) is of the enclosing
scope's name, and a module-level read of the module's name only after a statement bound it."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from typing import Any, Callable, Optional, Union

_Comprehension = Union[ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp]
_Function = Union[ast.FunctionDef, ast.AsyncFunctionDef]


class _Scope:
    __slots__ = ("parent", "is_class", "bound", "globals", "nonlocals", "reads")

    def __init__(self, parent: Optional[_Scope], is_class: bool = False) -> None:
        self.parent = parent
        self.is_class = is_class
        self.bound: set[str] = set()  # so far, as the module is read in order
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.reads: set[str] = set()  # not bound here when read


def globals_read(module: ast.Module, names: Iterable[str]) -> list[str]:
    """Those of ``names`` (names the module binds at its top level) that its code reads, sorted."""
    reader = _Reader(set(names))
    reader.visit_all(module.body, reader.module)
    read = set(reader.module.reads)
    for scope in reader.scopes:
        for name in scope.reads - read:
            if name in scope.globals:
                read.add(name)
            elif name in scope.nonlocals:
                continue
            elif name in scope.bound:  # read before its binding here: the enclosing scope's
                if _reaches_module(scope.parent, name):
                    read.add(name)
            elif _reaches_module(_visible_parent(scope), name):
                read.add(name)
    return sorted(read)


def _visible_parent(scope: _Scope) -> Optional[_Scope]:
    """The scope whose names ``scope`` sees next: a class body's are not seen from the scopes in it."""
    parent = scope.parent
    while parent is not None and parent.is_class:
        parent = parent.parent
    return parent


def _reaches_module(scope: Optional[_Scope], name: str) -> bool:
    """A read of ``name`` that ``scope`` resolves is of the module's name."""
    while scope is not None and scope.parent is not None:
        if name in scope.globals:
            return True
        if name in scope.nonlocals or name in scope.bound:
            return False
        scope = _visible_parent(scope)
    return True


class _Reader:
    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.module = _Scope(None)
        self.scopes: list[_Scope] = []  # every scope but the module's
        self.in_annotation = False
        self.handlers: dict[type, Callable[[Any, _Scope], None]] = {
            ast.Name: self.visit_Name,
            ast.FunctionDef: self.visit_FunctionDef,
            ast.AsyncFunctionDef: self.visit_FunctionDef,
            ast.Lambda: self.visit_Lambda,
            ast.ClassDef: self.visit_ClassDef,
            ast.ListComp: self.visit_comprehension,
            ast.SetComp: self.visit_comprehension,
            ast.GeneratorExp: self.visit_comprehension,
            ast.DictComp: self.visit_comprehension,
            ast.Import: self.visit_import,
            ast.ImportFrom: self.visit_import,
            ast.Global: lambda node, scope: scope.globals.update(node.names),
            ast.Nonlocal: lambda node, scope: scope.nonlocals.update(node.names),
            ast.Assign: lambda node, scope: self.visit_all((node.value, *node.targets), scope),
            ast.AugAssign: self.visit_AugAssign,
            ast.AnnAssign: self.visit_AnnAssign,
            ast.NamedExpr: lambda node, scope: self.visit_all((node.value, node.target), scope),
            ast.ExceptHandler: self.visit_ExceptHandler,
            ast.Constant: self.visit_Constant,
            ast.Subscript: self.visit_Subscript,
        }
        for name in ("MatchAs", "MatchStar", "MatchMapping"):  # Python 3.10+
            if hasattr(ast, name):
                self.handlers[getattr(ast, name)] = self.visit_capture

    def visit_all(self, nodes: Iterable[Optional[ast.AST]], scope: _Scope) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node, scope)

    def visit(self, node: ast.AST, scope: _Scope) -> None:
        handler = self.handlers.get(type(node))
        if handler is not None:
            handler(node, scope)
        else:
            for child in ast.iter_child_nodes(node):
                self.visit(child, scope)

    def bind(self, name: str, scope: _Scope) -> None:
        if name in self.wanted:
            scope.bound.add(name)
            if name in scope.globals:
                self.module.bound.add(name)

    def read(self, name: str, scope: _Scope) -> None:
        if name not in self.wanted:
            return
        if scope is self.module:
            if name in scope.bound:
                scope.reads.add(name)
        elif name not in scope.bound or name in scope.globals or name in scope.nonlocals:
            scope.reads.add(name)

    def visit_Name(self, node: ast.Name, scope: _Scope) -> None:
        if isinstance(node.ctx, ast.Store):
            self.bind(node.id, scope)
        else:
            self.read(node.id, scope)

    def visit_FunctionDef(self, node: _Function, scope: _Scope) -> None:
        self.bind(node.name, scope)
        self.visit_all(node.decorator_list, scope)
        self.visit_arguments(node.args, scope)
        self.visit_annotation(node.returns, scope)
        self.visit_all(getattr(node, "type_params", ()), scope)
        self.visit_all(node.body, self.parameters(node.args, scope))

    def visit_Lambda(self, node: ast.Lambda, scope: _Scope) -> None:
        self.visit_arguments(node.args, scope)
        self.visit(node.body, self.parameters(node.args, scope))

    def visit_ClassDef(self, node: ast.ClassDef, scope: _Scope) -> None:
        self.bind(node.name, scope)
        self.visit_all([*node.decorator_list, *node.bases, *node.keywords], scope)
        self.visit_all(getattr(node, "type_params", ()), scope)
        self.visit_all(node.body, self.scope(scope, is_class=True))

    def visit_comprehension(self, node: _Comprehension, scope: _Scope) -> None:
        """The first iterable is read where the comprehension stands; the rest in its own scope."""
        self.visit(node.generators[0].iter, scope)
        inner = self.scope(scope)
        for number, generator in enumerate(node.generators):
            if number:
                self.visit(generator.iter, inner)
            self.visit_all((generator.target, *generator.ifs), inner)
        parts = (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,)
        self.visit_all(parts, inner)

    def visit_import(self, node: Union[ast.Import, ast.ImportFrom], scope: _Scope) -> None:
        for alias in node.names:
            self.bind(alias.asname or alias.name.partition(".")[0], scope)

    def visit_AugAssign(self, node: ast.AugAssign, scope: _Scope) -> None:
        if isinstance(node.target, ast.Name):
            self.read(node.target.id, scope)  # ``x += 1`` reads ``x`` first
        self.visit_all((node.value, node.target), scope)

    def visit_AnnAssign(self, node: ast.AnnAssign, scope: _Scope) -> None:
        self.visit_annotation(node.annotation, scope)
        self.visit_all((node.value, node.target), scope)

    def visit_ExceptHandler(self, node: ast.ExceptHandler, scope: _Scope) -> None:
        self.visit_all((node.type,), scope)
        if node.name:
            self.bind(node.name, scope)
        self.visit_all(node.body, scope)

    def visit_capture(self, node: ast.AST, scope: _Scope) -> None:
        for child in ast.iter_child_nodes(node):
            self.visit(child, scope)
        for name in (getattr(node, "name", None), getattr(node, "rest", None)):
            if name:
                self.bind(name, scope)

    def visit_Constant(self, node: ast.Constant, scope: _Scope) -> None:
        if not (self.in_annotation and isinstance(node.value, str)):
            return
        try:
            expression = ast.parse(node.value, mode="eval")
        except (SyntaxError, ValueError):  # not an expression: no names read
            return
        self.visit(expression.body, scope)

    def visit_Subscript(self, node: ast.Subscript, scope: _Scope) -> None:
        if self.in_annotation and _is_literal(node.value):
            self.visit(node.value, scope)  # ``Literal["a"]`` holds values, not names
        else:
            self.visit_all((node.value, node.slice), scope)

    def visit_arguments(self, arguments: ast.arguments, scope: _Scope) -> None:
        """Defaults and annotations: read where the function is defined."""
        self.visit_all([*arguments.defaults, *arguments.kw_defaults], scope)
        for argument in _parameters(arguments):
            self.visit_annotation(argument.annotation, scope)

    def visit_annotation(self, node: Optional[ast.expr], scope: _Scope) -> None:
        if node is None:
            return
        outer, self.in_annotation = self.in_annotation, True
        self.visit(node, scope)
        self.in_annotation = outer

    def scope(self, parent: _Scope, is_class: bool = False) -> _Scope:
        made = _Scope(parent, is_class)
        self.scopes.append(made)
        return made

    def parameters(self, arguments: ast.arguments, scope: _Scope) -> _Scope:
        inner = self.scope(scope)
        for argument in _parameters(arguments):
            self.bind(argument.arg, inner)
        return inner


def _parameters(arguments: ast.arguments) -> list[ast.arg]:
    extra = [argument for argument in (arguments.vararg, arguments.kwarg) if argument is not None]
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, *extra]


def _is_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "Literal") or (
        isinstance(node, ast.Attribute) and node.attr == "Literal"
    )
