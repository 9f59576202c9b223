import pytest
from pytest import fixture as fx


class TestAsync:
    def test_a(self):
        pass


from helpers.events import sending, missing_module
