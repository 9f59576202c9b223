# A star import of this module binds only the names of its `__all__`.
from helpers.fixtures import customer, receipt  # noqa: F401

__all__ = ["receipt"]
