import single_module
import requests_not_installed.adapters


def test_missing():
    assert single_module
