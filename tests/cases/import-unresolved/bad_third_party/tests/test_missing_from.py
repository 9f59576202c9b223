from typing import TYPE_CHECKING

from yaml_not_installed import safe_load

if TYPE_CHECKING:
    import typing_only_not_installed


def test_missing_from():
    assert safe_load
