"""Fixture definitions as pytest registers them, and the holders they are registered on."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Optional

from fixlint.facts.model import FixtureFact, KeywordValue
from fixlint.modules import StringValue
from fixlint.pytest_model.builtins import BUILTIN_FIXTURES, LOOP_RUNNER_FIXTURES, PLUGIN_FIXTURES
from fixlint.pytest_model.scope import Scope


@dataclass(frozen=True, eq=False)
class FixtureDef:
    """pytest's FixtureDef: one registration of a fixture function under a name."""

    name: str
    path: str  # the file that defines the function; "" for pytest's and plugins' own
    fact: Optional[FixtureFact]
    builtin_scope: Optional[Scope] = None
    # What ``scope=`` and ``loop_scope=`` come to where they are not literals
    # (``Project.fixture_def`` reads the constants they name); None: not read.
    scope_argument: Optional[StringValue] = None
    loop_scope_argument: Optional[StringValue] = None
    plugin: str = ""  # the installed plugin module that defines it, for one without facts

    @functools.cached_property  # asked for every request of every test
    def declared_scope(self) -> Optional[Scope]:
        """The scope the decorator gives; None when it is dynamic (a callable, a name fixlint
        cannot read) or not a scope pytest knows."""
        if self.fact is None:
            return self.builtin_scope
        if self.fact.scope is None:
            return Scope.FUNCTION
        return _argument_scope(self.fact.scope, self.scope_argument)

    @functools.cached_property
    def declared_loop_scope(self) -> Optional[Scope]:
        """``loop_scope=``; None when it is not given, or fixlint cannot tell it."""
        if self.fact is None or self.fact.loop_scope is None:
            return None
        return _argument_scope(self.fact.loop_scope, self.loop_scope_argument)

    @property
    def dynamic_scope(self) -> str:
        """Why fixlint cannot tell the scope pytest gives this fixture; "" when it can."""
        if self.fact is None or self.fact.scope is None or self.declared_scope is not None:
            return ""
        return _why_unread(self.fact.scope, self.scope_argument)

    @property
    def requests(self) -> list[str]:
        if self.fact is None:
            return []
        return [*self.fact.argnames, *self.fact.getfixturevalue]

    @property
    def label(self) -> str:
        return self.fact.func_name if self.fact else self.name


def _argument_scope(argument: KeywordValue, read: Optional[StringValue]) -> Optional[Scope]:
    value = argument.literal if argument.literal is not None else (read.value if read is not None else None)
    return Scope.parse(value) if value is not None else None


def _why_unread(argument: KeywordValue, read: Optional[StringValue]) -> str:
    value = argument.literal if argument.literal is not None else (read.value if read is not None else None)
    if value is not None:
        return f"{value!r} is not a scope pytest knows"
    if read is not None and read.why:
        return read.why
    return "it is an expression fixlint does not evaluate (a call, a lambda, an f-string...)"


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
