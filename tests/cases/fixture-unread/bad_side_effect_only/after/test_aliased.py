from unittest import mock

import pytest as pt

from conftest import EVENTS


class TestOrders:
    @pt.mark.usefixtures("audit", "db")
    def test_marked(self, client):
        assert client and EVENTS == ["audit", "db"]

    @pt.mark.usefixtures("db")
    @mock.patch("os.getcwd")
    def test_patched(self, getcwd):
        assert getcwd is not None and "db" in EVENTS


@pt.mark.usefixtures("db")
def test_keyword_only(client):
    assert client and "db" in EVENTS
