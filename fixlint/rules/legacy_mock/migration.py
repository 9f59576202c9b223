"""The LibCST transformer of the legacy-wrapper migration: it rewrites only the nodes the rule
found and schedules its imports with ``AddImportsVisitor`` and ``RemoveImportsVisitor``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_absolute_module_from_package
from libcst.metadata import PositionProvider

from fixlint.facts.model import FileFacts
from fixlint.modules import module_name
from fixlint.rules.legacy_mock.edits import FileMigration
from fixlint.rules.parsed_modules import parsed


class _Migrate(VisitorBasedCodemodCommand):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(
        self, context: CodemodContext, migration: FileMigration, factory_module: str, factory: str, facts: FileFacts
    ) -> None:
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
        used = {name.value for name in m.findall(original_node, m.Name()) if isinstance(name, cst.Name)}
        for imported in self.facts.imports:
            for name, bound in imported.names:
                if bound in used and imported.level == 0:
                    RemoveImportsVisitor.remove_unused_import(
                        self.context,
                        imported.module,
                        None if imported.module == name else name,
                        None if bound == name else bound,
                    )
        return cst.RemoveFromParent()

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        for module, name, asname in self.migration.wrapper_imports:
            relative = module.lstrip(".")
            dots = len(module) - len(relative)
            if dots:  # RemoveImportsVisitor compares absolute module names
                module = (
                    get_absolute_module_from_package(self.context.full_package_name, relative or None, dots) or module
                )
            RemoveImportsVisitor.remove_unused_import(self.context, module, name, asname)
        return tree.visit(self)


def migrated(
    path: str, text: str, facts: FileFacts, migration: FileMigration, factory_module: str, factory: str
) -> Optional[str]:
    """The module's text once migrated; None when LibCST cannot parse it."""
    found = parsed(path, text)
    if found is None:
        return None
    module = found.module
    # The module's own name lets RemoveImportsVisitor resolve its relative imports.
    name = module_name(Path(path))
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    context = CodemodContext(filename=path, full_module_name=name, full_package_name=package)
    return _Migrate(context, migration, factory_module, factory, facts).transform_module(module).code
