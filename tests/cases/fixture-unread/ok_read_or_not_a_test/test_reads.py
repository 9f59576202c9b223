import pytest

from conftest import passes_kwargs


def test_nested(db):
    def rows():
        return db["rows"]

    assert rows() == 1


def test_lambda(db):
    assert (lambda: db)()


def test_locals(db):
    assert "db" in locals()


@passes_kwargs
def test_decorated(db):
    pass


@pytest.mark.parametrize("db", [{"rows": 2}])
def test_parametrized(db):
    pass


def test_augmented(session):
    session += "!"
    assert session


def test_not_a_fixture(tmp_path, request):
    assert tmp_path.exists() and request
