"""The fixture-scope family: scopes pytest would refuse (ScopeMismatch), pytest-asyncio loop
scopes narrower than a fixture's, mixed autouse scopes, duplicate fixtures; and the scope fix."""

from __future__ import annotations

from fixlint.rules.fixture_scope.autouse_mixed import FixtureAutouseMixed
from fixlint.rules.fixture_scope.duplicate import FixtureDuplicate
from fixlint.rules.fixture_scope.dynamic import FixtureScopeDynamic
from fixlint.rules.fixture_scope.loop_scope import FixtureLoopScope
from fixlint.rules.fixture_scope.mismatch import FixtureScopeMismatch

RULES = (FixtureScopeMismatch, FixtureScopeDynamic, FixtureLoopScope, FixtureAutouseMixed, FixtureDuplicate)
