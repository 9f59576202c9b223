from pytest import mark as m


@m.parametrize(
    "value",
    [1, 2, 3,  # the list is never closed
)
def test_value(value):
    assert value
