"""The fixture-graph family: the fixture graph checked whole, from each test module's point of view."""

from __future__ import annotations

from fixlint.rules.fixture_graph.cycle import FixtureCycle
from fixlint.rules.fixture_graph.imported import FixtureImported
from fixlint.rules.fixture_graph.not_found import FixtureNotFound
from fixlint.rules.fixture_graph.unread import FixtureUnread
from fixlint.rules.fixture_graph.unused import FixtureUnused

RULES = (FixtureCycle, FixtureNotFound, FixtureUnread, FixtureUnused, FixtureImported)
