# Production code (not a test folder): the agent flow.


def run(notifier):
    notifier.notify_agent_started("p")
    notifier.notify_agent_thinking("p")
    notifier.notify_tool_executing("p")
    notifier.notify_tool_completed("p")
    notifier.notify_agent_completed("p")
