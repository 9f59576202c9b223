from . import neighbours


def test_flat():
    pass
