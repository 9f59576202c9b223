# Checks of the event names themselves, and of the order of the flow: neither is what the
# standard helper (presence of each event) checks.
from test_framework.recorder import EVENTS, Recorder, run_whole_flow


class EventNames:
    AGENT_STARTED = "agent_started"
    AGENT_THINKING = "agent_thinking"
    TOOL_EXECUTING = "tool_executing"
    TOOL_COMPLETED = "tool_completed"
    AGENT_COMPLETED = "agent_completed"


def test_the_names_are_defined():
    assert EventNames.AGENT_STARTED
    assert EventNames.AGENT_THINKING
    assert EventNames.TOOL_EXECUTING
    assert EventNames.TOOL_COMPLETED
    assert EventNames.AGENT_COMPLETED == "agent_completed"


def test_the_order_event_by_event():
    recorder = Recorder()
    run_whole_flow(recorder, "r1")
    expected = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    assert len(recorder.sent) == len(expected)
    for index, event in enumerate(recorder.sent):
        assert event["event_type"] == expected[index]


def test_the_order_as_one_list():
    recorder = Recorder()
    run_whole_flow(recorder, "r2")
    assert [event["event_type"] for event in recorder.sent] == list(EVENTS)
    assert [event["event_type"] for event in recorder.sent] == [
        "agent_started",
        "agent_thinking",
        "tool_executing",
        "tool_completed",
        "agent_completed",
    ]


def test_the_order_of_the_calls_made():
    recorder = Recorder()
    calls = ["notify_agent_started", "notify_agent_thinking", "notify_tool_executing"]
    calls += ["notify_tool_completed", "notify_agent_completed"]
    for method in calls:
        getattr(recorder, method)("r3")
    expected = [method.replace("notify_", "") for method in calls]
    received = [event["event_type"] for event in recorder.sent]
    assert received == expected


def test_the_sequence_by_position():
    recorder = Recorder()
    run_whole_flow(recorder, "r4")
    for index, event_type in enumerate(EVENTS):
        assert recorder.sent[index]["event_type"] == event_type
        assert recorder.sent[index]["run_id"] is not None


def test_twice_as_many_as_the_list():
    recorder = Recorder()
    run_whole_flow(recorder, "r5")
    run_whole_flow(recorder, "r6")
    assert len(recorder.sent) == 2 * len(EVENTS)


def anything_streamed(recorder):
    types = {event["event_type"] for event in recorder.sent}
    streamed = [event for event in EVENTS if event in types]
    return len(streamed) > 0


def test_something_streamed():
    recorder = Recorder()
    run_whole_flow(recorder, "r7")
    assert anything_streamed(recorder)


def test_the_sequence_item_by_item():
    recorder = Recorder()
    run_whole_flow(recorder, "r8")
    for index, expected in enumerate(EVENTS):
        sent = recorder.sent[index]
        assert sent["event_type"] == expected
