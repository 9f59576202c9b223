"""Helpers the tests import; the legacy wrapper here is used by no test any more."""


def make_message(kind):
    return {"type": kind}


class LegacyMockWebSocketManager:
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)
