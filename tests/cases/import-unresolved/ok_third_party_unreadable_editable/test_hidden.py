import hidden_pkg


def test_hidden():
    assert hidden_pkg.HIDDEN == 1
