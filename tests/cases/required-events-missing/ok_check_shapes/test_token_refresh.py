# A suite about refreshing a token while the agent talks: the whole flow is sent as traffic
# across the refresh, and what is checked is the connection, not the events.
from test_framework.recorder import Recorder


class Session:
    def __init__(self):
        self.token = "t1"
        self.refreshes = 0

    def refresh(self):
        self.refreshes += 1
        self.token = f"t{self.refreshes + 1}"


def test_flow_survives_a_refresh():
    session = Session()
    recorder = Recorder()
    recorder.notify_agent_started("r1")
    recorder.notify_agent_thinking("r1")
    session.refresh()
    recorder.notify_tool_executing("r1")
    recorder.notify_tool_completed("r1")
    recorder.notify_agent_completed("r1")
    assert session.token == "t2"
    assert len(recorder.sent) == 5
