"""Fixes of the required-events family: one call of the standard helper, in place of a
hand-written check or at the end of a test, with its import."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from fixlint.facts.model import FunctionBody, Span
from fixlint.findings import Edit
from fixlint.modules import SourceFile
from fixlint.pytest_model.project import Project
from fixlint.rules.import_edits import binds_elsewhere, import_edit
from fixlint.rules.required_events.helper_module import WriteEventsHelper


def helper_problem(project: Project, file: SourceFile, options: Mapping[str, Any], body: FunctionBody) -> Optional[str]:
    """Why the helper cannot be called from ``body``; None when it can."""
    module, helper = options["helper-module"], options["helper"]
    if binds_elsewhere(file.facts, helper, module) and project.resolve_import(file, module, 0) != file.path:
        return f"this module binds `{helper}` to something else"
    path = project.resolve_import(file, module, 0)
    if path is None:
        return f"the helper module `{module}` is not in the tree (`fixlint fix {WriteEventsHelper.flag}` writes it)"
    helper_file = project.source(path)
    if helper_file is None or helper not in helper_file.bodies:
        return f"`{module}` defines no `{helper}`"
    if options["helper-async"] and not body.is_async:
        return f"`{helper}` is async and `{body.qualname}` is not"
    return None


def helper_call(options: Mapping[str, Any], body: FunctionBody, collection: str) -> str:
    awaited = "await " if options["helper-async"] and body.is_async else ""
    return f"{awaited}{options['helper']}({collection})"


def helper_import(project: Project, file: SourceFile, options: Mapping[str, Any]) -> list[Edit]:
    if project.resolve_import(file, options["helper-module"], 0) == file.path:
        return []
    edit = import_edit(str(file.path), file.facts, options["helper-module"], options["helper"])
    return [edit] if edit else []


def append_call(file: SourceFile, body: FunctionBody, call: str) -> Edit:
    """The call as the last statement of the function (whose body is not on its ``def`` line)."""
    line = body.end_line + 1
    if body.end_line == file.facts.unterminated_line:  # the file's last line has no line ending
        return Edit(str(file.path), line, 1, line, 1, f"\n{body.indent}{call}")
    return Edit(str(file.path), line, 1, line, 1, f"{body.indent}{call}\n")


def replace_statement(file: SourceFile, span: Span, text: str) -> Edit:
    return Edit(str(file.path), span.line, span.column, span.end_line, span.end_column, text)


def delete_lines(file: SourceFile, span: Span) -> Edit:
    return Edit(str(file.path), span.line, 1, span.end_line + 1, 1, "")
