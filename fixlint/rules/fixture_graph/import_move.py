"""The LibCST rewrites of the fixture-imported fix: a name out of a test module's import, and a
module into a conftest's ``pytest_plugins`` list."""

from __future__ import annotations

from typing import Optional, Union

import libcst as cst
import libcst.matchers as m
from libcst.metadata import MetadataWrapper, PositionProvider

from fixlint.facts.source_map import NEWLINE_RE
from fixlint.rules.fixture_graph.removal import spaced_after_removal
from fixlint.rules.parsed_modules import parsed


def without_imported_name(path: str, text: str, line: int, bound: str) -> Optional[str]:
    """The module without the name ``bound`` that the ``from`` import at ``line`` binds (the
    statement goes when it was its last name); None when it does not parse or no such import
    stands there. Whether the module reads the name is the caller's to ask (the facts say)."""
    module = parsed(path, text)
    if module is None:
        return None
    tree = module.module
    holding = _statement_holding(tree, line)
    if holding is None:
        return None
    index, first_line, offset = holding
    # The one top-level statement that holds the line, as a module of its own: its lines are
    # counted from its first, and no other statement is visited.
    alone = tree.with_changes(header=(), body=[tree.body[index]], footer=())
    positions = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
    remover = _NameRemover(line - first_line + 1, bound, positions)
    changed = alone.visit(remover)
    if not remover.done:
        return None
    after = list(changed.body)
    end = index + 1
    if remover.removed is tree.body[index] and end < len(tree.body):
        after.append(spaced_after_removal(remover.removed, tree.body[end], first=index == 0))
        end += 1
    # Only the statements that changed are written anew; the module's text stands for the rest.
    old = "".join(tree.code_for_node(statement) for statement in tree.body[index:end])
    new = "".join(tree.code_for_node(statement) for statement in after)
    spliced = text[:offset] + new + text[offset + len(old) :] if text.startswith(old, offset) else ""
    # Else LibCST writes the whole module: the last statement of one without a final line break
    # (its code has one the text has not), or a module left empty (which keeps a line break).
    return spliced or tree.with_changes(body=[*tree.body[:index], *after, *tree.body[end:]]).code


def _statement_holding(module: cst.Module, line: int) -> Optional[tuple[int, int, int]]:
    """The index of the top-level statement whose lines hold ``line``, the line its code starts
    on (its leading blank and comment lines included) and the offset in the module's code where
    it does; the lines counted as LibCST's positions count them, through the statements before
    it only."""
    header = "".join(module.code_for_node(empty) for empty in module.header)
    first_line, offset = 1 + len(module.header), len(header)
    for index, statement in enumerate(module.body):
        code = module.code_for_node(statement)
        lines = len(NEWLINE_RE.findall(code))
        if line < first_line + max(lines, 1):
            return index, first_line, offset
        first_line, offset = first_line + lines, offset + len(code)
    return None


class _NameRemover(cst.CSTTransformer):
    def __init__(self, line: int, bound: str, positions: object) -> None:
        self.line = line
        self.bound = bound
        self.positions = positions
        self.done = False
        self.removed: Optional[cst.SimpleStatementLine] = None

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> Union[cst.SimpleStatementLine, cst.RemovalSentinel]:
        position = self.positions[original_node]  # type: ignore[index]
        if self.done or position.start.line != self.line:
            return updated_node
        body = []
        for statement in updated_node.body:
            if isinstance(statement, cst.ImportFrom) and not isinstance(statement.names, cst.ImportStar):
                kept = [alias for alias in statement.names if _bound(alias) != self.bound]
                if len(kept) < len(statement.names):
                    self.done = True
                    if not kept:
                        continue
                    last = statement.names[-1]
                    kept[-1] = kept[-1].with_changes(comma=last.comma)  # the author's trailing comma, or none
                    statement = statement.with_changes(names=kept)
                    if len(kept) == 1 and isinstance(kept[0].comma, cst.Comma) and statement.lpar is None:
                        statement = statement.with_changes(
                            names=[kept[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
                        )
            body.append(statement)
        if not body:
            self.removed = original_node
            return cst.RemovalSentinel.REMOVE
        return updated_node.with_changes(body=body)


def _bound(alias: cst.ImportAlias) -> str:
    return alias.evaluated_alias or alias.evaluated_name


def with_plugin(path: str, text: str, plugin: str) -> Optional[str]:
    """The conftest with ``plugin`` added to its module-level ``pytest_plugins`` list or tuple;
    None when it has none of those or does not parse."""
    module = parsed(path, text)
    if module is None:
        return None
    adder = _PluginAdder(plugin)
    changed = module.module.visit(adder)
    return changed.code if adder.done else None


class _PluginAdder(cst.CSTTransformer):
    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self.done = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        target = m.AssignTarget(target=m.Name("pytest_plugins"))
        value = updated_node.value
        if self.done or not m.matches(updated_node, m.Assign(targets=[target])):
            return updated_node
        if not isinstance(value, (cst.List, cst.Tuple)):
            return updated_node
        elements = list(value.elements)
        quote = '"'
        if elements and isinstance(elements[-1].value, cst.SimpleString):
            quote = elements[-1].value.quote
        new = cst.Element(cst.SimpleString(f"{quote}{self.plugin}{quote}"))
        if elements:
            last = elements[-1]
            trailing = last.comma
            if isinstance(trailing, cst.Comma):
                new = new.with_changes(comma=trailing)  # a list a line each keeps its layout
                elements[-1] = last.with_changes(comma=_comma_before_next(value, trailing))
            else:
                elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        elif isinstance(value, cst.Tuple):
            new = new.with_changes(comma=cst.Comma())
        self.done = True
        return updated_node.with_changes(value=value.with_changes(elements=[*elements, new]))


def _comma_before_next(value: Union[cst.List, cst.Tuple], trailing: cst.Comma) -> cst.Comma:
    """The comma between two elements as the list has it: a line each (the first element's
    line break and indentation), or on one line."""
    elements = value.elements
    if len(elements) > 1 and isinstance(elements[-2].comma, cst.Comma):
        return elements[-2].comma
    opening = value.lbracket if isinstance(value, cst.List) else (value.lpar[0] if value.lpar else None)
    if opening is not None and isinstance(opening.whitespace_after, cst.ParenthesizedWhitespace):
        return cst.Comma(whitespace_after=opening.whitespace_after)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
