"""Imports that a fix needs, added as a line after the module's last unconditional import."""

from __future__ import annotations

from typing import Optional

from fixlint.facts.model import FileFacts
from fixlint.findings import Edit


def import_edit(path: str, facts: FileFacts, module: str, name: Optional[str] = None) -> Optional[Edit]:
    """``import module`` (or ``from module import name``) where the module does not bind it yet."""
    wanted = (name, name) if name else (module, module)
    for imported in facts.imports:
        if imported.level == 0 and imported.module == module and wanted in imported.names:
            return None
    statement = f"from {module} import {name}" if name else f"import {module}"
    line = facts.last_import_line + 1
    return Edit(path, line, 1, line, 1, f"{statement}\n", unordered=True)


def binds_elsewhere(facts: FileFacts, name: str, module: str) -> bool:
    """The module binds ``name`` to something other than ``from module import name``: a
    function or class of its own, or an import of another thing; a call added there would
    call that instead."""
    if any(body.qualname == name for body in facts.bodies) or any(cls.qualname == name for cls in facts.classes):
        return True
    return any(
        bound == name and not (imported.level == 0 and imported.module == module and imported_name == name)
        for imported in facts.imports
        for imported_name, bound in imported.names
    )
