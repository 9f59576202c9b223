import single_module
import requests_not_installed.adapters
from requests_not_installed import Session  # the same cause: reported once


def test_missing():
    assert single_module and Session
