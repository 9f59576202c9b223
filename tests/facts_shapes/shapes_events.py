"""Event checks, loops, differences and helpers."""
import pytest

from helpers import validate_required_events

REQUIRED_EVENTS = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]


class Base:
    EVENTS = {"agent_started"}


async def test_flow(bridge, sent_events):
    """A docstring."""
    await bridge.notify_agent_started(sent_events); x = 1
    types = [e["event_type"] for e in sent_events]
    kinds = set(e.get("event_type") for e in sent_events)
    other = [e["type"] for e in sent_events if e]
    assert "agent_started" in types
    assert "agent_thinking" in (types)
    assert "tool_executing" in types, "message"
    assert "tool_completed" not in types
    assert not "agent_completed" in types; y = 2
    assert "x" in types and "y" in types
    for event in REQUIRED_EVENTS:
        assert event in types
    for event in Base.EVENTS: assert event in kinds
    for event in REQUIRED_EVENTS:
        assert event in types; z = 3
    for event in REQUIRED_EVENTS:
        assert event in types
    else:
        pass
    if True:
        for event in REQUIRED_EVENTS:
            assert event in types
    missing = REQUIRED_EVENTS - set(types)
    also = set(REQUIRED_EVENTS).difference(types)
    left = Base.EVENTS.difference(kinds)
    assert types != ["agent_started"]
    assert "tool_completed" in "".join(
        types
    )
    if not missing:
        pytest.fail("no")
    validate_required_events(sent_events)
    import json.decoder as decoder
    from os import path as p, sep
    try:
        pass
    except Exception as error:
        raise AssertionError("failed") from error

    def nested():
        assert "nested_event" in types
        return "nested_string"
    helper = lambda: "lambda_string"
    print(f"{sent_events['agent_started']} and" "plain", event_type="agent_started")


def test_one_line(): assert "agent_started" in []


def test_last_is_compound(events):
    with events as sent:
        if sent:
            sent.emit("agent_started")


def test_semicolons(events):
    events.emit("a"); events.emit("b")
