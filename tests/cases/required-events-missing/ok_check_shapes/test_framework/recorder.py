# A test double of the notifier: records what it is told to send.

EVENTS = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")


class Recorder:
    def __init__(self):
        self.sent = []

    def notify_agent_started(self, run_id):
        self.sent.append({"event_type": "agent_started", "run_id": run_id})

    def notify_agent_thinking(self, run_id):
        self.sent.append({"event_type": "agent_thinking", "run_id": run_id})

    def notify_tool_executing(self, run_id):
        self.sent.append({"event_type": "tool_executing", "run_id": run_id})

    def notify_tool_completed(self, run_id):
        self.sent.append({"event_type": "tool_completed", "run_id": run_id})

    def notify_agent_completed(self, run_id):
        self.sent.append({"event_type": "agent_completed", "run_id": run_id})

    def send_event(self, event_type, run_id):
        self.sent.append({"event_type": event_type, "run_id": run_id})

    def of_type(self, event_type):
        return [event for event in self.sent if event["event_type"] == event_type]


def run_whole_flow(recorder, run_id):
    for event_type in EVENTS:
        recorder.send_event(event_type, run_id)
