# "All the events" in a name promises the events of its own subject (a scheduler's, a
# parser's): with no required event sent or checked, it is not about the agent flow.
from test_framework.recorder import Recorder


def test_scheduler_covers_all_the_events_we_expect():
    recorder = Recorder()
    fired = ["tick", "tock"]
    assert fired == ["tick", "tock"]
    assert recorder.sent == []
