"""Fixes of the legacy-mock family.

A legacy wrapper is migrated in every file of the tree at once: its instantiations become calls
of the unified factory (imported where missing), imports of the wrapper that become unused go,
and the class itself goes once nothing uses it. Each file is rewritten by a LibCST transformer
with ``AddImportsVisitor`` and ``RemoveImportsVisitor``, and the result becomes one edit: the
span where the old and new text differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Union

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_absolute_module_from_package
from libcst.metadata import PositionProvider

from fixlint.files.source_text import SourceText
from fixlint.facts.model import FileFacts
from fixlint.findings import Edit
from fixlint.modules import module_name


@dataclass
class FileMigration:
    """What the migration of one wrapper changes in one file."""

    calls: set[tuple[int, int]] = field(default_factory=set)  # (line, column) of instantiations to rewrite
    wrapper_imports: list[tuple[str, str, Optional[str]]] = field(default_factory=list)  # (module, name, asname)
    delete_class: Optional[str] = None  # the wrapper, where this file defines it and nothing uses it


class _Migrate(VisitorBasedCodemodCommand):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, context: CodemodContext, migration: FileMigration, factory_module: str, factory: str, facts: FileFacts) -> None:
        super().__init__(context)
        self.migration = migration
        self.factory_module = factory_module
        self.factory = factory
        self.facts = facts

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        start = self.get_metadata(PositionProvider, original_node).start
        if (start.line, start.column + 1) not in self.migration.calls:
            return updated_node
        AddImportsVisitor.add_needed_import(self.context, self.factory_module, self.factory)
        return updated_node.with_changes(func=cst.Name(self.factory), args=())

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> Union[cst.ClassDef, cst.RemovalSentinel]:
        if original_node.name.value != self.migration.delete_class:
            return updated_node
        # The imports only the class used go with it; the others stay, used or not.
        used = {name.value for name in m.findall(original_node, m.Name())}
        for imported in self.facts.imports:
            for name, bound in imported.names:
                if bound in used and imported.level == 0:
                    RemoveImportsVisitor.remove_unused_import(
                        self.context, imported.module, None if imported.module == name else name, None if bound == name else bound
                    )
        return cst.RemoveFromParent()

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        for module, name, asname in self.migration.wrapper_imports:
            relative = module.lstrip(".")
            dots = len(module) - len(relative)
            if dots:  # RemoveImportsVisitor compares absolute module names
                module = get_absolute_module_from_package(self.context.full_package_name, relative or None, dots) or module
            RemoveImportsVisitor.remove_unused_import(self.context, module, name, asname)
        return tree.visit(self)


def migrate_file(path: str, data: bytes, facts: FileFacts, migration: FileMigration, factory_module: str, factory: str) -> Optional[Edit]:
    """The edit that migrates one file; None when it changes nothing or cannot be parsed."""
    source = SourceText.decode(data)
    try:
        module = cst.parse_module(source.text)
    except cst.ParserSyntaxError:
        return None
    # The module's own name lets RemoveImportsVisitor resolve its relative imports.
    name = module_name(Path(path))
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    context = CodemodContext(filename=path, full_module_name=name, full_package_name=package)
    command = _Migrate(context, migration, factory_module, factory, facts)
    after = command.transform_module(module).code
    return minimal_edit(path, source.text, after)


def minimal_edit(path: str, before: str, after: str) -> Optional[Edit]:
    """One edit that turns ``before`` into ``after``: what lies between their common prefix and suffix."""
    if before == after:
        return None
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    if before[prefix - 1 : prefix + 1] == "\r\n":
        prefix -= 1  # keep a CRLF whole: positions count it as one line ending
    suffix = 0
    while suffix < min(len(before), len(after)) - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    if suffix and before[len(before) - suffix - 1 : len(before) - suffix + 1] == "\r\n":
        suffix -= 1
    start_line, start_column = _position(before, prefix)
    end_line, end_column = _position(before, len(before) - suffix)
    return Edit(path, start_line, start_column, end_line, end_column, after[prefix : len(after) - suffix])


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``, counting lines as ``SourceText`` does."""
    head = text[:offset]
    line_start = max(head.rfind("\n"), head.rfind("\r")) + 1
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    return line, offset - line_start + 1
