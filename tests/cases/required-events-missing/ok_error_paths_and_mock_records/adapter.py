# The code under test: an adapter that forwards each event to a bridge and logs a failure.
import logging

logger = logging.getLogger("adapter")


class Adapter:
    def __init__(self, bridge):
        self.bridge = bridge

    def _forward(self, name, *args):
        try:
            getattr(self.bridge, name)(*args)
        except Exception:
            logger.error("failed to emit %s", name)

    def emit_agent_started(self, run_id):
        self._forward("notify_agent_started", run_id)

    def emit_agent_thinking(self, run_id):
        self._forward("notify_agent_thinking", run_id)

    def emit_tool_executing(self, run_id):
        self._forward("notify_tool_executing", run_id)

    def emit_tool_completed(self, run_id):
        self._forward("notify_tool_completed", run_id)

    def emit_agent_completed(self, run_id, result):
        self._forward("notify_agent_completed", run_id, {"result": result})
