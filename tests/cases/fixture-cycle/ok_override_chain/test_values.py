import pytest


@pytest.fixture
def value(value):
    return value + 1


class TestValue:
    @pytest.fixture
    def value(self, value):
        return value * 10

    def test_value(self, value):
        assert value == 20


def test_module_value(value):
    assert value == 2
