# Tests that send all five events and check all five, each in a shape other than the helper.
import unittest
from unittest.mock import MagicMock

import pytest

from app_events import EventType
from test_framework.recorder import EVENTS, Recorder, run_whole_flow

REQUIRED = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]


def types_of(recorder):
    return [event["event_type"] for event in recorder.sent]


def test_equal_to_an_expected_list():
    recorder = Recorder()
    run_whole_flow(recorder, "r1")
    expected = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    assert types_of(recorder) == expected


def test_missing_collected_then_asserted():
    recorder = Recorder()
    run_whole_flow(recorder, "r2")
    seen = types_of(recorder)
    missing = []
    for required in REQUIRED:
        if required not in seen:
            missing.append(required)
    assert not missing, f"missing: {missing}"


def test_missing_by_comprehension():
    recorder = Recorder()
    run_whole_flow(recorder, "r3")
    seen = set(types_of(recorder))
    missing = [event for event in EVENTS if event not in seen]
    assert len(missing) == 0


def test_four_of_five_are_enough_here():
    recorder = Recorder()
    run_whole_flow(recorder, "r4")
    assert len(set(types_of(recorder)) & set(REQUIRED)) >= 4


def test_mock_notifier_awaited_for_each_event():
    notifier = MagicMock()
    notifier.notify_agent_started("r5")
    notifier.notify_agent_thinking("r5")
    notifier.notify_tool_executing("r5")
    notifier.notify_tool_completed("r5")
    notifier.notify_agent_completed("r5")
    notifier.notify_agent_started.assert_called_once()
    notifier.notify_agent_thinking.assert_called_once()
    notifier.notify_tool_executing.assert_called_once()
    notifier.notify_tool_completed.assert_called_once()
    notifier.notify_agent_completed.assert_called_once()


class TestUnittestStyle(unittest.TestCase):
    def assert_events_sent(self, recorder, expected):
        self.assertEqual([event["event_type"] for event in recorder.sent], expected)

    def test_assert_equal(self):
        recorder = Recorder()
        run_whole_flow(recorder, "r6")
        self.assertEqual(types_of(recorder), REQUIRED)

    def test_assert_helper_given_the_list(self):
        recorder = Recorder()
        recorder.notify_agent_started("r7")
        recorder.notify_agent_thinking("r7")
        recorder.notify_tool_executing("r7")
        recorder.notify_tool_completed("r7")
        recorder.notify_agent_completed("r7")
        self.assert_events_sent(
            recorder, ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
        )


def test_all_five_events_by_their_enum():
    """Every required event is supported: each checked through the production enum's members."""
    recorder = Recorder()
    for event_type in (
        EventType.AGENT_STARTED,
        EventType.AGENT_THINKING,
        EventType.TOOL_EXECUTING,
        EventType.TOOL_COMPLETED,
        EventType.AGENT_COMPLETED,
    ):
        recorder.send_event(event_type.value, "r8")
        assert recorder.sent[-1]["event_type"] == event_type


def test_all_five_events_missing_then_fail():
    recorder = Recorder()
    run_whole_flow(recorder, "r9")
    missing = set(REQUIRED) - set(types_of(recorder))
    if missing:
        pytest.fail(f"missing events: {sorted(missing)}")


class FlowValidator:
    """A validator of the test module; another class below has a method of the same name."""

    def __init__(self, recorder):
        self.recorder = recorder

    def validate(self):
        missing = set(REQUIRED) - set(types_of(self.recorder))
        ok = not missing
        return ok, sorted(missing)


class OtherValidator:
    def validate(self):
        return True


def test_all_five_events_by_a_validator_instance():
    recorder = Recorder()
    run_whole_flow(recorder, "r10")
    validator = FlowValidator(recorder)
    ok, failures = validator.validate()
    assert ok, failures
    assert OtherValidator().validate()


class SeenFlags:
    def __init__(self, recorder):
        for event in recorder.sent:
            setattr(self, event["event_type"], True)


def test_all_five_events_as_flags():
    recorder = Recorder()
    run_whole_flow(recorder, "r11")
    seen = SeenFlags(recorder)
    assert seen.agent_started
    assert seen.agent_thinking
    assert seen.tool_executing
    assert seen.tool_completed
    assert seen.agent_completed


def test_each_event_taken_by_next_then_its_fields_checked():
    recorder = Recorder()
    recorder.notify_agent_started("r9")
    recorder.notify_agent_thinking("r9")
    recorder.notify_tool_executing("r9")
    recorder.notify_tool_completed("r9")
    recorder.notify_agent_completed("r9")
    # next() without a default fails the test when no such event came: taking it checks it
    started = next(event for event in recorder.sent if event.get("event_type") == "agent_started")
    assert "run_id" in started
    thinking = next(event for event in recorder.sent if event.get("event_type") == "agent_thinking")
    assert thinking.get("run_id") == "r9"
    executing = next(event for event in recorder.sent if event.get("event_type") == "tool_executing")
    assert executing.get("run_id") == "r9"
    completed_tool = next(event for event in recorder.sent if event.get("event_type") == "tool_completed")
    assert completed_tool.get("run_id") == "r9"
    final = next(event for event in recorder.sent if event.get("event_type") == "agent_completed")
    assert final.get("run_id") == "r9"
