# A validator of each event's fields, by type: it returns False early for a missing field, not
# for a missing event. Its verdict says nothing of which events were sent.
from test_framework.recorder import Recorder

FIELDS_BY_TYPE = {
    "agent_started": ["run_id"],
    "agent_thinking": ["run_id"],
    "tool_executing": ["run_id"],
    "tool_completed": ["run_id"],
    "agent_completed": ["run_id"],
}


def valid_structure(event):
    event_type = event["event_type"]
    if event_type in FIELDS_BY_TYPE:
        for field in FIELDS_BY_TYPE[event_type]:
            if field not in event:
                return False
    return True


def test_each_sent_event_has_its_fields():
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    recorder.notify_tool_completed("r1")
    assert all(valid_structure(event) for event in recorder.sent)
