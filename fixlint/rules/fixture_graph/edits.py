"""Fixes of the fixture-graph family: a test's unread fixture parameters become a
``usefixtures`` mark; an unused fixture is deleted; a fixture imported into a test module is
provided from its conftest instead. A LibCST transformer rewrites the module
(imported only when a fix is made); the result becomes one edit per region where the module's
old and new text differ."""

from __future__ import annotations

from collections.abc import Sequence

from fixlint.files.source_text import SourceText, text_edits
from fixlint.findings import Edit, FixDeclined


def usefixtures_edits(path: str, data: bytes, qualname: str, names: Sequence[str]) -> tuple[Edit, ...]:
    """The edits that move ``names`` from the parameters of the function ``qualname`` to a
    ``pytest.mark.usefixtures`` mark; none when the module does not parse or nothing changes."""
    from fixlint.rules.fixture_graph.usefixtures import moved_to_usefixtures  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = moved_to_usefixtures(path, source.text, qualname, names)
    return () if after is None else text_edits(path, source.text, after)


def removal_edits(path: str, data: bytes, qualname: str) -> tuple[Edit, ...]:
    """The edits that delete the function ``qualname`` (a fixture) and the imports only it read.
    Raises ``FixDeclined`` when the module does not parse or uses the function's name elsewhere."""
    from fixlint.rules.fixture_graph.removal import without_function  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = without_function(path, source.text, qualname)
    edits = () if after is None else text_edits(path, source.text, after)
    if not edits:
        raise FixDeclined(f"`{qualname}` is not a function of the module as it stands")
    return edits


def removal_of_import(path: str, data: bytes, line: int, bound: str) -> tuple[Edit, ...]:
    """The edits that take the name ``bound`` out of the ``from`` import at ``line``; none when
    no such import stands there."""
    from fixlint.rules.fixture_graph.import_move import without_imported_name  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = without_imported_name(path, source.text, line, bound)
    return () if after is None else text_edits(path, source.text, after)


def plugin_edits(path: str, data: bytes, plugin: str) -> tuple[Edit, ...]:
    """The edits that add ``plugin`` to the conftest's ``pytest_plugins`` list; none when it has
    no list literal there."""
    from fixlint.rules.fixture_graph.import_move import with_plugin  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = with_plugin(path, source.text, plugin)
    return () if after is None else text_edits(path, source.text, after)
