from unittest import mock

import pytest as pt

from conftest import EVENTS


class TestOrders:
    @pt.mark.usefixtures("audit")
    def test_marked(self, db, client):
        assert client and EVENTS == ["audit", "db"]

    @mock.patch("os.getcwd")
    def test_patched(self, getcwd, db):
        assert getcwd is not None and "db" in EVENTS


def test_keyword_only(client, *, db):
    assert client and "db" in EVENTS
