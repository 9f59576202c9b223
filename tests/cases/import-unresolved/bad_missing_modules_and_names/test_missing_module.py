import pytest
import helpers.nope


def test_nope():
    pass
