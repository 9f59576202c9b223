# The events are sent, then the deliveries of those types are kept in order: the test asserts
# their count and that their timestamps never go back, not which types arrived.
import itertools

from test_framework.recorder import Recorder

clock = itertools.count()


def test_timestamps_of_the_sent_types_stay_in_order():
    recorder = Recorder()
    sequence = [
        ("agent_started", "r1"),
        ("agent_thinking", "r1"),
        ("tool_executing", "r1"),
        ("tool_completed", "r1"),
        ("agent_completed", "r1"),
    ]
    for event_type, run_id in sequence:
        recorder.send_event(event_type, run_id)
    assert len(recorder.sent) >= len(sequence)
    delivered = []
    for event in recorder.sent:
        if event.get("event_type") in [item[0] for item in sequence]:
            delivered.append((event["event_type"], next(clock)))
    stamps = [stamp for _, stamp in delivered]
    assert all(stamps[i] <= stamps[i + 1] for i in range(len(stamps) - 1))
