from helpers.events.sending.sub import x


def test_sub():
    pass
