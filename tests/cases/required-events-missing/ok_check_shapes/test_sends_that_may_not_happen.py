# Together these tests call a send for every event, but no flow is promised: one send is
# expected to fail, the others happen only on some rounds.
from test_framework.recorder import EVENTS, Recorder


class Offline:
    """A connection with no user: every send is refused."""

    def send_event(self, event_type, run_id):
        return False


def test_sends_to_an_absent_user_are_refused():
    connection = Offline()
    for event_type in EVENTS:
        result = connection.send_event(event_type, "nobody")
        assert result is False, f"{event_type} was not refused"


def test_some_rounds_skip_the_tools():
    recorder = Recorder()
    for round_number in range(4):
        recorder.notify_agent_started(f"r{round_number}")
        if round_number % 2:
            recorder.notify_agent_thinking(f"r{round_number}")
            recorder.notify_tool_executing(f"r{round_number}")
            recorder.notify_tool_completed(f"r{round_number}")
        recorder.notify_agent_completed(f"r{round_number}")
    assert len(recorder.sent) == 14
