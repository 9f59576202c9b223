import unittest
from unittest import mock
from unittest.mock import patch

import pytest


@mock.patch("os.getcwd")
@patch.object(unittest, "main")
def test_mocked(main, getcwd, user):
    assert user == "ada" and main is not getcwd


@patch("os.getcwd", new=lambda: "/")
def test_patched_with_new(user):
    assert user == "ada"


@pytest.mark.parametrize("number", [1, 2])
@pytest.mark.parametrize("user", ["bob"], indirect=True)
def test_parametrized(number, user, *args, flag=True, **kwargs):
    assert number and user == "bob" and flag


@mock.patch("os.getcwd")
class TestMocked:
    def test_method(self, getcwd, user):
        assert user == "ada" and getcwd


class TestBound:
    @staticmethod
    def test_static(user):
        assert user == "ada"

    @classmethod
    def test_class(cls, user):
        assert user == "ada"


class TestCaseStyle(unittest.TestCase):
    def test_unittest(self):
        assert True
