"""Fixture definitions as pytest registers them, and the holders they are registered on."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Optional

from fixlint.facts.model import FixtureFact
from fixlint.pytest_model.builtins import BUILTIN_FIXTURES, LOOP_RUNNER_FIXTURES, PLUGIN_FIXTURES
from fixlint.pytest_model.scope import Scope


@dataclass(frozen=True, eq=False)
class FixtureDef:
    """pytest's FixtureDef: one registration of a fixture function under a name."""

    name: str
    path: str  # the file that defines the function; "" for pytest's and plugins' own
    fact: Optional[FixtureFact]
    builtin_scope: Optional[Scope] = None

    @functools.cached_property  # asked for every request of every test
    def declared_scope(self) -> Optional[Scope]:
        """The scope the decorator gives; None when it is dynamic (a callable or a variable)."""
        if self.fact is None:
            return self.builtin_scope
        if self.fact.scope is None:
            return Scope.FUNCTION
        return Scope.parse(self.fact.scope.literal) if self.fact.scope.literal else None

    @property
    def requests(self) -> list[str]:
        if self.fact is None:
            return []
        return [*self.fact.argnames, *self.fact.getfixturevalue]

    @property
    def label(self) -> str:
        return self.fact.func_name if self.fact else self.name


def builtin_defs() -> dict[str, list[FixtureDef]]:
    table = {**BUILTIN_FIXTURES, **PLUGIN_FIXTURES, **LOOP_RUNNER_FIXTURES}
    return {name: [FixtureDef(name, "", None, scope)] for name, scope in table.items()}


@dataclass
class Holder:
    """What one node (session, conftest directory, module, class) registers: name -> defs,
    ordered as pytest registers them (``dir()`` order, so by attribute name), and its autouse names."""

    defs: dict[str, list[FixtureDef]] = field(default_factory=dict)
    autouse: list[str] = field(default_factory=list)

    @classmethod
    def from_bindings(cls, bindings: dict[str, FixtureDef]) -> Holder:
        """``bindings`` maps attribute names to the fixture bound there (the last binding wins)."""
        holder = cls()
        for attribute in sorted(bindings):
            fixturedef = bindings[attribute]
            holder.defs.setdefault(fixturedef.name, []).append(fixturedef)
            if fixturedef.fact is not None and fixturedef.fact.autouse and fixturedef.name not in holder.autouse:
                holder.autouse.append(fixturedef.name)
        return holder
