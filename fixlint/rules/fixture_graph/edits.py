"""Fixes of the fixture-graph family: a test's unread fixture parameters become a
``usefixtures`` mark. A LibCST transformer rewrites the one function; the result becomes one
edit, the span where the module's old and new text differ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from fixlint.files.source_text import SourceText, minimal_edit
from fixlint.findings import Edit


def usefixtures_edit(path: str, data: bytes, qualname: str, names: Sequence[str]) -> Optional[Edit]:
    """The edit that moves ``names`` from the parameters of the function ``qualname`` to a
    ``pytest.mark.usefixtures`` mark; None when the module does not parse or nothing changes."""
    from fixlint.rules.fixture_graph.usefixtures import moved_to_usefixtures  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = moved_to_usefixtures(source.text, qualname, names)
    return None if after is None else minimal_edit(path, source.text, after)
