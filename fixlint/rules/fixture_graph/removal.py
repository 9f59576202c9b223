"""The LibCST rewrite of the fixture-unused fix: a fixture function out of its module (or
class), and the imports only it used."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Optional, TypeVar, Union

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor
from libcst.metadata import MetadataWrapper, ScopeProvider

from fixlint.findings import FixDeclined
from fixlint.rules.parsed_modules import ParsedModule, parsed

Statement = TypeVar("Statement", bound=cst.CSTNode)


def without_function(path: str, text: str, qualname: str) -> Optional[str]:
    """The module without the function ``qualname`` and the imports nothing else reads; None when
    it does not parse or the function is not found. Raises ``FixDeclined`` where the module
    reads the function's name elsewhere."""
    original = parsed(path, text)
    if original is None:
        return None
    remover = _Remover(qualname)
    changed = original.module.visit(remover)
    if remover.removed is None:
        return None
    name = qualname.rpartition(".")[2]
    # Scopes of the module as changed only where its text still names the function.
    if re.search(rf"\b{re.escape(name)}\b", changed.code) and _reads_unbound(changed, name):
        raise FixDeclined(f"the module uses `{name}` elsewhere")
    read = _names_read(remover.removed) - _read_elsewhere(original, remover.removed, name)
    context = CodemodContext()
    for imported in changed.body:
        for statement in imported.body if isinstance(imported, cst.SimpleStatementLine) else ():
            _schedule(context, statement, read)
    if context.scratch:
        changed = RemoveImportsVisitor(context).transform_module(changed)
    return changed.code if changed.code.strip() else ""


def _reads_unbound(module: cst.Module, name: str) -> bool:
    """The module reads ``name`` where no other binding answers: it read the function removed."""
    scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    return any(
        access.node.value == name and not access.referents
        for scope in {scope for scope in scopes.values() if scope is not None}
        for access in scope.accesses
        if isinstance(access.node, cst.Name)
    )


def _read_elsewhere(module: ParsedModule, removed: cst.FunctionDef, name: str) -> set[str]:
    """The module-level names the module reads outside ``removed`` (the scopes of the module as
    it stands, shared by every removal from it): their imports stay, and a removal need not ask
    ``RemoveImportsVisitor`` (which resolves the scopes of the changed module) about them."""
    scope = module.global_scope
    if scope is None:
        return set()
    inside = _NodeIds()
    removed.visit(inside)
    return {
        assignment.name
        for assignment in scope.assignments
        if assignment.name != name
        and any(access.node is not None and id(access.node) not in inside.ids for access in assignment.references)
    }


class _NodeIds(cst.CSTVisitor):
    def __init__(self) -> None:
        self.ids: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.ids.add(id(node))
        return True


def _schedule(context: CodemodContext, statement: cst.BaseSmallStatement, read: set[str]) -> None:
    """Schedule the imports of a module-level statement that bind a name the removed function read
    (``RemoveImportsVisitor`` removes them only if nothing else reads them)."""
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            bound = alias.evaluated_alias or alias.evaluated_name.partition(".")[0]
            if bound in read:
                RemoveImportsVisitor.remove_unused_import(context, alias.evaluated_name, asname=alias.evaluated_alias)
    elif isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
        if statement.module is None or statement.relative:
            return  # a relative import: RemoveImportsVisitor names modules absolutely
        module = cst.helpers.get_full_name_for_node(statement.module) or ""
        for alias in statement.names:
            bound = alias.evaluated_alias or alias.evaluated_name
            if bound in read:
                RemoveImportsVisitor.remove_unused_import(
                    context, module, alias.evaluated_name, asname=alias.evaluated_alias
                )


def _names_read(node: cst.CSTNode) -> set[str]:
    collector = _NameCollector()
    node.visit(collector)
    return collector.names


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Import(self, node: cst.Import) -> bool:
        return False  # an import's names are bindings, not reads

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        # The def binds its name: visit what it reads, not the name itself.
        for part in (*node.decorators, node.params, *([node.returns] if node.returns else []), node.body):
            part.visit(self)
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        # A parameter binds its name (a fixture's parameter of the same name is a request).
        for part in (node.annotation, node.default):
            if part is not None:
                part.visit(self)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        for part in (*node.decorators, *node.bases, *node.keywords, node.body):
            part.visit(self)
        return False


class _Remover(cst.CSTTransformer):
    def __init__(self, qualname: str) -> None:
        self.qualname = qualname
        self.stack: list[str] = []
        self.removed: Optional[cst.FunctionDef] = None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.stack.pop()
        body = updated_node.body
        if isinstance(body, cst.IndentedBlock) and not body.body:  # its one statement removed
            return updated_node.with_changes(body=body.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])]))
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._spaced(original_node.body, updated_node.body))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._spaced(original_node.body, updated_node.body))

    def _spaced(self, before: Sequence[cst.BaseStatement], after: Sequence[cst.BaseStatement]) -> list:
        """The statement after the one removed, spaced as the block was."""
        after = list(after)
        if len(after) != len(before) - 1:
            return after
        index = next((i for i, statement in enumerate(after) if statement is not before[i]), len(after))
        removed = before[index]
        if index < len(after) and isinstance(removed, cst.FunctionDef) and removed is self.removed:
            after[index] = spaced_after_removal(removed, after[index], first=index == 0)
        return after

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.stack.append(node.name.value)
        return False

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> Union[cst.FunctionDef, cst.RemovalSentinel]:
        qualname = ".".join(self.stack)
        self.stack.pop()
        if qualname != self.qualname or self.removed is not None:
            return updated_node
        self.removed = original_node
        return cst.RemovalSentinel.REMOVE


def spaced_after_removal(removed: cst.CSTNode, statement: Statement, first: bool) -> Statement:
    """The statement that follows one removed, with its own comments, after as many blank lines
    as stood before it or before the removed one (a function after an import keeps its two),
    none at the top of a block; the comments before the removed one were about it."""
    removed_blank = [line for line in getattr(removed, "leading_lines", ()) if line.comment is None]
    own = list(getattr(statement, "leading_lines", ()))
    own_blank = [line for line in own if line.comment is None]
    blank = removed_blank if first else max(removed_blank, own_blank, key=len)
    return statement.with_changes(leading_lines=[*blank, *(line for line in own if line.comment is not None)])
