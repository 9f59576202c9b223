# The package is imported, not the module beside it: its names are not there.
from helpers.shadow import MODULE_ONLY


def test_shadow():
    pass
