# That the notifier has a method per required event says nothing of what it sent.
from test_framework.recorder import Recorder


def test_the_recorder_has_a_method_per_event():
    recorder = Recorder()
    assert hasattr(recorder, "notify_agent_started")
    assert hasattr(recorder, "notify_agent_thinking")
    assert hasattr(recorder, "notify_tool_executing")
    assert hasattr(recorder, "notify_tool_completed")
    assert hasattr(recorder, "notify_agent_completed")
