"""The LibCST trees of the modules fixes rewrite, parsed once per text and shared by every fix
planned on that text: a module with many findings is parsed, and its scopes resolved, once.
Imported only by the rewrites (a check imports no LibCST)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, ScopeProvider
from libcst.metadata.scope_provider import Scope

# A plan reads its own module and its conftest; findings come sorted by file, so a few recent
# trees are all the sharing there is. A tree and its metadata take some 400 bytes a character:
# the memo keeps at most this many modules and characters (the newest one always).
MEMO_MODULES = 8
MEMO_CHARACTERS = 200_000


class ParsedModule:
    """One module's tree, with its metadata resolved when first asked for. LibCST trees are
    immutable: a transformer returns a new tree, so every plan may start from this one."""

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self._wrapper: Optional[MetadataWrapper] = None

    @property
    def wrapper(self) -> MetadataWrapper:
        if self._wrapper is None:
            self._wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        return self._wrapper

    @property
    def global_scope(self) -> Optional[Scope]:
        return self.wrapper.resolve(ScopeProvider).get(self.module)


_memo: OrderedDict[tuple[str, str], Optional[ParsedModule]] = OrderedDict()


def parsed(path: str, text: str) -> Optional[ParsedModule]:
    """The module ``path`` holding ``text``, parsed; None when LibCST cannot parse it."""
    key = (path, text)
    if key in _memo:
        _memo.move_to_end(key)
        return _memo[key]
    try:
        found: Optional[ParsedModule] = ParsedModule(cst.parse_module(text))
    except cst.ParserSyntaxError:
        found = None
    _memo[key] = found
    while len(_memo) > 1 and (len(_memo) > MEMO_MODULES or sum(len(text) for _, text in _memo) > MEMO_CHARACTERS):
        _memo.popitem(last=False)
    return found
