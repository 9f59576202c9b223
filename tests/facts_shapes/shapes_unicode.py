"""Non-ASCII text before the positions: columns count characters, not bytes."""
import pytest

ÉVÉNEMENTS = ["agent_started", "é"]


@pytest.fixture(scope="séssion".replace("é", "e"))
def données(café="☕", naïve=Ünicode()): return café


def test_ünïcode(données): x = "日本語"; assert Ünicode(x, "ü") and "agent_started" in [données]  # fixlint: ignore[required-events-missing]


class Wrapper:  # ünïcode comment
    def __init__(self):
        self._mock = create_mock()
        self.messages = ["é"]

    def send(self, m):
        self._mock.send(m)
        self.messages = self._mock.messages
