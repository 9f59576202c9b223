# Another module imports the fixture from here.
from helpers.fixtures import shim_db


def test_shim(shim_db):
    assert shim_db == {}
