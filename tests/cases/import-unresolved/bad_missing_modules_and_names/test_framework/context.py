"""A helper the tests import."""
from helpers.events.sending import send, receive


def make_context():
    return send()
