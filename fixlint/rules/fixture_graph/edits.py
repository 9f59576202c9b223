"""Fixes of the fixture-graph family: a test's unread fixture parameters become a
``usefixtures`` mark; an unused fixture is deleted; a fixture imported into a test module is
provided from its conftest instead. A LibCST transformer rewrites the module
(imported only when a fix is made); the result becomes one edit, the span where the module's
old and new text differ."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from fixlint.files.source_text import SourceText, minimal_edit
from fixlint.findings import Edit, FixDeclined


def usefixtures_edit(path: str, data: bytes, qualname: str, names: Sequence[str]) -> Optional[Edit]:
    """The edit that moves ``names`` from the parameters of the function ``qualname`` to a
    ``pytest.mark.usefixtures`` mark; None when the module does not parse or nothing changes."""
    from fixlint.rules.fixture_graph.usefixtures import moved_to_usefixtures  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = moved_to_usefixtures(source.text, qualname, names)
    return None if after is None else minimal_edit(path, source.text, after)


def removal_edit(path: str, data: bytes, qualname: str) -> Edit:
    """The edit that deletes the function ``qualname`` (a fixture) and the imports only it read.
    Raises ``FixDeclined`` when the module does not parse or uses the function's name elsewhere."""
    from fixlint.rules.fixture_graph.removal import without_function  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = without_function(source.text, qualname)
    edit = None if after is None else minimal_edit(path, source.text, after)
    if edit is None:
        raise FixDeclined(f"`{qualname}` is not a function of the module as it stands")
    return edit


def removal_of_import(path: str, data: bytes, line: int, bound: str) -> Optional[Edit]:
    """The edit that takes the name ``bound`` out of the ``from`` import at ``line``; None when
    no such import stands there. Raises ``FixDeclined`` where the module reads the name."""
    from fixlint.rules.fixture_graph.import_move import without_imported_name  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = without_imported_name(source.text, line, bound)
    return None if after is None else minimal_edit(path, source.text, after)


def plugin_edit(path: str, data: bytes, plugin: str) -> Optional[Edit]:
    """The edit that adds ``plugin`` to the conftest's ``pytest_plugins`` list; None when it has
    no list literal there."""
    from fixlint.rules.fixture_graph.import_move import with_plugin  # LibCST only to rewrite

    source = SourceText.decode(data)
    after = with_plugin(source.text, plugin)
    return None if after is None else minimal_edit(path, source.text, after)
