# The repository's own package, above this service's rootdir: installed where its tests run
# (a workspace), never a module the suite's environment lacks.
import corelib
import installed_pkg


def test_version():
    assert corelib.VERSION and installed_pkg
