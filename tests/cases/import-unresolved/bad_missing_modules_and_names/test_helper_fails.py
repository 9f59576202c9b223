from test_framework.context import make_context


def test_context():
    assert make_context()
