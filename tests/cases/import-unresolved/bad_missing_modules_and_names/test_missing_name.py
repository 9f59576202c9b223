from helpers import send, receive


def test_send():
    assert send() == "sent"
