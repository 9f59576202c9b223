"""The fixture analysis of a test module in a form the cache keeps, and the key that names all
it depends on: after an edit, only the modules the edit can change are analysed again.

A view's fixtures are named by their place in its test's chain (holder, name, index): the same
places hold the same fixtures as long as the module's facts, the facts of every file that
defines a fixture of its chains, the values of the constants their scopes name, the holders'
make-up and the pytest config are the same, and the key covers all of these."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Union

from fixlint import __version__
from fixlint.files.cache_dir import code_digest, content_key, write_entry
from fixlint.modules import SourceFile
from fixlint.pytest_model.closure import DirectParam, FailedLookup, RequestFields
from fixlint.pytest_model.fixturedefs import FixtureDef, Holder
from fixlint.pytest_model.project import Project, TestItem
from fixlint.pytest_model.scope import Scope


class ViewsCache:
    """The fixture analysis of each test module, by a key naming all it rests on
    (this module's): after an edit, only what it can change is analysed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / f"views-{__version__}-{code_digest()}"

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[Any]:
        try:
            entry = json.loads(self._entry(key).read_text(encoding="utf-8"))
            return entry["views"] if entry["key"] == key else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupt: analysed again and rewritten

    def put(self, key: str, views: Any) -> None:
        write_entry(self._entry(key), json.dumps({"key": key, "views": views}, separators=(",", ":")))


@dataclass
class ViewRequests:
    """What a test's view comes to: the fixtures it sets up that have a definition in the tree,
    its requests in the order it makes them, and those pytest cannot resolve (requester, lookup, via)."""

    used: list[FixtureDef]
    requests: list[RequestFields]
    failed: list[tuple[Optional[FixtureDef], FailedLookup, str]]


def module_key(project: Project, tests: list[TestItem]) -> Optional[str]:
    """The key of the analysis of ``tests`` (one module's); None when a fact it rests on has no
    digest (a file the run did not read through the file pass)."""
    file = tests[0].file
    if not file.digest:
        return None
    chains: dict[tuple[int, ...], int] = {}
    signatures: list[tuple[str, ...]] = []
    placed = []
    for test in tests:
        ids = tuple(map(id, test.chain))
        index = chains.get(ids)
        if index is None:
            signature = tuple(_holder_signature(project, holder) for holder in test.chain)
            if "" in signature:
                return None
            index = chains[ids] = len(signatures)
            signatures.append(signature)
        placed.append((test.nodeid, test.base, index))
    return content_key(repr((file.digest, file.config, signatures, placed)).encode())


def _holder_signature(project: Project, holder: Holder) -> str:
    """What a holder registers, each fixture named by its file's facts digest and its index in
    them; "" when one has no digest."""
    known = project.holder_signatures
    if id(holder) not in known:
        parts: list[tuple] = []
        for name, defs in holder.defs.items():
            for fixturedef in defs:
                place = _place_of_fact(project, fixturedef)
                if place is None:
                    known[id(holder)] = ""
                    return ""
                parts.append((name, fixturedef.name, place))
        known[id(holder)] = content_key(repr((parts, holder.autouse)).encode())
    return known[id(holder)]


def _place_of_fact(project: Project, fixturedef: FixtureDef) -> Optional[tuple]:
    if fixturedef.fact is None:  # pytest's or a plugin's own
        return ("", fixturedef.builtin_scope.value if fixturedef.builtin_scope else None)
    file = project.files.get(Path(fixturedef.path))
    if file is None or not file.digest:
        return None
    index = _fact_indexes(project, file).get(id(fixturedef.fact))
    if index is None:
        return None
    # A scope read from a constant rests on the module that binds it too: its value stands for it.
    read = [
        argument.value if argument else None for argument in (fixturedef.scope_argument, fixturedef.loop_scope_argument)
    ]
    return (fixturedef.path, file.digest, index, *read)


def _fact_indexes(project: Project, file: SourceFile) -> dict[int, int]:
    if file.path not in project.fact_indexes:
        project.fact_indexes[file.path] = {id(fact): index for index, fact in enumerate(file.facts.fixtures)}
    return project.fact_indexes[file.path]


# -- the stored form ------------------------------------------------------------------------
# {"defs": [[holder index, name, index], ...], "requests": [[requester, scope, target, scope, via], ...],
#  "views": [[[def, ...], [request, ...], [failed, ...]], ...], "tests": [view of each test, ...]}
# A failed lookup is [requester def or None for the test, name, defined, via].
# A target is a def, or ["direct", name, scope, mark index, parametrize index] for a name the
# test parametrizes directly (its marks as ``TestItem.marks`` lists them). Each table holds a
# value once: a module's views make mostly the same requests.


def encode_views(views: list[ViewRequests], tests: list[TestItem]) -> Optional[dict[str, Any]]:
    """None when a fixture is not found in its test's chain (then nothing is stored)."""
    defs: dict[tuple[int, str, int], int] = {}
    requests: dict[tuple, int] = {}
    stored_views: list[list[list[Any]]] = []
    view_index: dict[int, int] = {}
    order = []
    places: dict[int, dict[int, tuple[str, int]]] = {}  # id(holder) -> id(fixturedef) -> (name, index)

    def def_index(chain: tuple[Holder, ...], fixturedef: FixtureDef) -> int:
        for depth in range(len(chain) - 1, -1, -1):
            holder = chain[depth]
            if id(holder) not in places:
                places[id(holder)] = {
                    id(d): (name, i) for name, listed in holder.defs.items() for i, d in enumerate(listed)
                }
            found = places[id(holder)].get(id(fixturedef))
            if found is not None:
                return defs.setdefault((depth, *found), len(defs))
        raise LookupError(fixturedef.name)

    try:
        for test, view in zip(tests, views):
            if id(view) not in view_index:
                view_index[id(view)] = len(stored_views)
                used = [def_index(test.chain, fixturedef) for fixturedef in view.used]
                made = [
                    requests.setdefault(_encode_request(test, request, def_index), len(requests))
                    for request in view.requests
                ]
                failed = [
                    [None if requester is None else def_index(test.chain, requester), lookup.name, lookup.defined, via]
                    for requester, lookup, via in view.failed
                ]
                stored_views.append([used, made, failed])
            order.append(view_index[id(view)])
    except LookupError:
        return None
    return {"defs": list(defs), "requests": list(requests), "views": stored_views, "tests": order}


def _encode_request(
    test: TestItem, request: RequestFields, def_index: Callable[[tuple[Holder, ...], FixtureDef], int]
) -> tuple:
    requester, requester_scope, requested, requested_scope, via = request
    target: Union[int, tuple]
    if isinstance(requested, DirectParam):
        target = ("direct", requested.name, requested.scope.value, *_mark_place(test, requested))
    else:
        target = def_index(test.chain, requested)
    return (def_index(test.chain, requester), _scope_value(requester_scope), target, _scope_value(requested_scope), via)


def _mark_place(test: TestItem, direct: DirectParam) -> tuple[int, int]:
    for mark_index, marks in enumerate(test.marks()):
        for index, parametrize in enumerate(marks.parametrize):
            if parametrize is direct.mark:
                return mark_index, index
    raise LookupError(direct.name)


def _scope_value(scope: Optional[Scope]) -> Optional[str]:
    return None if scope is None else scope.value


def decode_views(stored: dict[str, Any], tests: list[TestItem]) -> list[ViewRequests]:
    """The views of ``tests`` from their stored form; raises ValueError, KeyError, TypeError or
    IndexError on an entry that does not fit them."""
    defs, requests, stored_views, order = stored["defs"], stored["requests"], stored["views"], stored["tests"]
    if len(order) != len(tests):
        raise ValueError("not the module's tests")
    # Requests of fixtures only, decoded once per chain; a direct parametrization is the test's own.
    by_chain: dict[tuple[int, int], RequestFields] = {}
    views: dict[int, ViewRequests] = {}
    decoded = []
    for test, index in zip(tests, order):
        view = views.get(index)
        if view is None:
            used, made, failed = _item(stored_views, index)
            fields = []
            for number in made:
                key = (id(test.chain), number)
                request = by_chain.get(key)
                if request is None:
                    request = _decode_request(test, _item(requests, number), defs)
                    if not isinstance(request[2], DirectParam):
                        by_chain[key] = request
                fields.append(request)
            view = views[index] = ViewRequests(
                [_fixture_at(test, _item(defs, number)) for number in used],
                fields,
                [_decode_failed(test, entry, defs) for entry in failed],
            )
        decoded.append(view)
    return decoded


def _decode_failed(test: TestItem, stored: list, defs: list) -> tuple[Optional[FixtureDef], FailedLookup, str]:
    requester, name, defined, via = stored
    if type(name) is not str or type(defined) is not bool:
        raise TypeError(name)
    fixturedef = None if requester is None else _fixture_at(test, _item(defs, requester))
    return fixturedef, FailedLookup(name, defined), str(via)


def _fixture_at(test: TestItem, place: list) -> FixtureDef:
    depth, name, index = place
    return _item(_item(test.chain, depth).defs[name], index)


def _item(sequence: Sequence[Any], index: object) -> Any:
    """``sequence[index]`` for an index the encoder can have written: a negative one would
    read a corrupt entry as a place from the end."""
    if type(index) is not int or index < 0:
        raise IndexError(index)
    return sequence[index]


def _decode_request(test: TestItem, stored: list, defs: list) -> RequestFields:
    requester, requester_scope, target, requested_scope, via = stored
    requested: Union[FixtureDef, DirectParam]
    if isinstance(target, list):
        _, name, scope, mark_index, index = target
        requested = DirectParam(name, Scope(scope), _item(_item(list(test.marks()), mark_index).parametrize, index))
    else:
        requested = _fixture_at(test, _item(defs, target))
    return (
        _fixture_at(test, _item(defs, requester)),
        _scope(requester_scope),
        requested,
        _scope(requested_scope),
        str(via),
    )


def _scope(value: Optional[str]) -> Optional[Scope]:
    return None if value is None else Scope(value)
