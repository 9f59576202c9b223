import pytest


@pytest.fixture(scope="module")
def tables(schema):
    return list(schema)


def test_tables(tables, engine):
    assert tables == [engine["url"]]
