# Tests of one event, of an error path and of routing: none promises the whole flow, and
# together they do not send every event.
from unittest.mock import MagicMock

import app_flow
from test_framework.recorder import Recorder


def test_thinking_payload():
    recorder = Recorder()
    recorder.notify_agent_thinking("r1")
    assert recorder.sent[0]["run_id"] == "r1"


def test_error_path_sends_no_completion():
    recorder = Recorder()
    recorder.notify_agent_started("r2")
    assert len(recorder.sent) == 1


def test_production_flow_is_not_followed():
    # The flow runs in production code: fixlint follows calls into test code only.
    recorder = Recorder()
    app_flow.run(recorder)
    assert recorder.sent[0]["event_type"] == "agent_started"


def test_method_of_a_mock_is_not_followed():
    # `replay_everything` is a method of a test double below; called on a mock, it is not run.
    service = MagicMock()
    service.replay_everything()
    assert service.replay_everything.called


def test_isolation_with_a_double_of_its_own():
    # The double is defined here: its method is not the test double of the same name below.
    class Double:
        def __init__(self):
            self.calls = 0

        def replay_everything(self):
            self.calls += 1

    double = Double()
    double.replay_everything()
    assert double.calls == 1


class EverythingReplayer:
    def replay_everything(self, recorder):
        for event_type in ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"):
            recorder.send_event(event_type, "x")
