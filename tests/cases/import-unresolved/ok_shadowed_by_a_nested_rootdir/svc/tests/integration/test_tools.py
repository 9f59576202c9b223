# No __init__.py here: this folder goes on sys.path, then the root (the conftest's), not svc/.
from helpers.tools import make


def test_make(service):
    assert make() == 1
