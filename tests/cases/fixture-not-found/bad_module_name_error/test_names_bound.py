# Builtins, names bound later or in a block, and names read only when a function runs: the
# module imports, so the typo is pytest's "fixture not found".
import functools

try:
    from decorators import flaky
except ImportError:
    flaky = functools.partial

LIMIT = len("abc")
CHECKS = [lambda: undefined_in_lambda]


def later():
    return undefined_when_called


@flaky
def test_admin(admn):
    assert admn
