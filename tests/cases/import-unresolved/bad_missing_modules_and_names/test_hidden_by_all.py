# `__all__` of helpers.events.sending leaves `extra` out of the star imports
from helpers import (
    send,
    extra,
)


def test_extra():
    pass
