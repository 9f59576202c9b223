def helper(timeout=DEFAULT_TIMEOUT):
    return timeout


def test_admin(admn):
    assert admn
