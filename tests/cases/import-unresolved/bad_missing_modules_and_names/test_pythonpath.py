from mylib.core import thing, other


def test_thing():
    assert thing() == 1
