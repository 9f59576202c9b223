from conftest import EVENTS
import pytest


@pytest.mark.usefixtures("db")
def test_orders(client):
    assert client == "client" and "db" in EVENTS


@pytest.mark.usefixtures("db", "audit")
def test_both():
    assert EVENTS == ["db", "audit"]


async def helper():
    return 1
