from conftest import EVENTS


def test_orders(db, client):
    assert client == "client" and "db" in EVENTS


def test_both(
    db,  # the database must be up
    audit,
):
    assert EVENTS == ["db", "audit"]


async def helper():
    return 1
