from ns_part import portion  # a portion installed in the namespace package
from ns_part import absent_portion


def test_missing_portion():
    assert portion and absent_portion
