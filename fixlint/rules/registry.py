"""Every rule, by name and by family; `fixlint rules`, `explain` and the README read it."""

from __future__ import annotations

from fixlint.rules.base import Option, Rule
from fixlint.rules.core import IoError, PytestConfigError, SyntaxErrorRule, UnusedSuppression
from fixlint.rules.fixture_scope.autouse_mixed import FixtureAutouseMixed
from fixlint.rules.fixture_scope.duplicate import FixtureDuplicate
from fixlint.rules.fixture_scope.loop_scope import FixtureLoopScope
from fixlint.rules.fixture_scope.mismatch import FixtureScopeMismatch
from fixlint.rules.legacy_mock.wrapper import LegacyMockWrapper
from fixlint.rules.legacy_mock.mock_connection import MockConnection
from fixlint.rules.required_events.missing import RequiredEventsMissing
from fixlint.rules.required_events.standard import RequiredEventsStandard

RULES: dict[str, type[Rule]] = {
    rule.name: rule
    for rule in (
        FixtureScopeMismatch,
        FixtureLoopScope,
        FixtureAutouseMixed,
        FixtureDuplicate,
        LegacyMockWrapper,
        MockConnection,
        RequiredEventsMissing,
        RequiredEventsStandard,
        SyntaxErrorRule,
        IoError,
        PytestConfigError,
        UnusedSuppression,
    )
}

FAMILIES: dict[str, list[str]] = {}
for _rule in RULES.values():
    FAMILIES.setdefault(_rule.family, []).append(_rule.name)


def family_options(family: str) -> dict[str, Option]:
    options: dict[str, Option] = {}
    for name in FAMILIES.get(family, []):
        options.update(RULES[name].options_schema)
    return options
