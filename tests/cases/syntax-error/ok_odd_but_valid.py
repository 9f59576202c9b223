"""Valid code that looks wrong: soft keywords and builtins as names, any expression as a
decorator (PEP 614), a backslash continuation, a trailing comma, a comment inside arguments."""
import pytest as pt

match = {"case": 2}
decorators = [pt.fixture]


@decorators[0](
    scope="module",  # shared
)
def type():
    return match["case"]


class TestOdd:
    def test_continuation(self, type):
        total = 1 + \
            type
        assert total == 3
