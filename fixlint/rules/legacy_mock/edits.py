"""Fixes of the legacy-mock family.

A legacy wrapper is migrated in every file of the tree at once: its instantiations become calls
of the unified factory (imported where missing), imports of the wrapper that become unused go,
and the class itself goes once nothing uses it. Each file is rewritten by a LibCST transformer
(``fixlint.rules.legacy_mock.migration``), and the result becomes one edit per region where the
old and new text differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from fixlint.facts.model import FileFacts
from fixlint.files.source_text import SourceText, text_edits
from fixlint.findings import Edit


@dataclass
class FileMigration:
    """What the migration of one wrapper changes in one file."""

    calls: set[tuple[int, int]] = field(default_factory=set)  # (line, column) of instantiations to rewrite
    # (module, name, asname); no name for ``import module``, whose module is all it binds
    wrapper_imports: list[tuple[str, Optional[str], Optional[str]]] = field(default_factory=list)
    delete_class: Optional[str] = None  # the wrapper, where this file defines it and nothing uses it


def migrate_file(
    path: str, data: bytes, facts: FileFacts, migration: FileMigration, factory_module: str, factory: str
) -> tuple[Edit, ...]:
    """The edits that migrate one file; none when it changes nothing or cannot be parsed."""
    from fixlint.rules.legacy_mock.migration import migrated  # LibCST is imported only to rewrite

    source = SourceText.decode(data)
    after = migrated(path, source.text, facts, migration, factory_module, factory)
    return () if after is None else text_edits(path, source.text, after)
