from . import shared
from .shared import SHARED
from .. import pkg


def test_relative():
    assert shared.SHARED == SHARED == pkg.shared.SHARED
