# The package passes on the fixture of its submodule.
from helpers.fixtures import customer  # noqa: F401
