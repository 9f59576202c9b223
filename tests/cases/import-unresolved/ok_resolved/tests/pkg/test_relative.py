from . import shared
from .shared import SHARED
from .. import pkg
from .fixtures import DEEP


def test_relative():
    assert shared.SHARED == SHARED == pkg.shared.SHARED
    assert DEEP == 2
