"""The legacy-mock family: legacy wrappers that keep a second copy of a unified mock's state, and
mock connections in suites that must use real ones; and their migrations."""

from __future__ import annotations

from fixlint.rules.legacy_mock.mock_connection import MockConnection
from fixlint.rules.legacy_mock.wrapper import LegacyMockWrapper

RULES = (LegacyMockWrapper, MockConnection)
