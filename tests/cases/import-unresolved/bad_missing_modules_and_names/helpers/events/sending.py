__all__ = ["send"]


def send():
    return "sent"


def extra():
    return "extra"
