__all__ = ["send", "_hidden_but_listed"]


def send():
    return "sent"


def _hidden_but_listed():
    return 0
