"""``match`` at module level, in tests, and ``match``/``case`` as plain names (3.10+)."""
import sys

import pytest

match = {"case": 1}
case = match["case"]
match["case"] = case

match sys.platform:
    case "win32":
        @pytest.fixture(scope="session")
        def platform(db):
            return "windows"
    case "linux" | "darwin" if case:
        @pytest.fixture(scope="module")
        def platform(db):
            return "unix"
    case Platform(name=Name) | [Name, *Rest] | {"k": Name, **Rest}:
        import json
    case _:
        pytestmark = pytest.mark.skip


def test_match(platform, request):
    match request.param:
        case {"event": "agent_started", **rest}:
            assert "agent_started" in rest
        case Event(kind=Kind) as Whole if Kind:
            request.getfixturevalue("late")
        case [First, *_]:
            pass
        case (1 | 2) as Number:
            pass
        case _:
            match(case)
