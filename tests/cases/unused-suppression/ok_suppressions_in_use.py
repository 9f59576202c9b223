import pytest
from pytest import fixture as fx


@fx(scope="session")  # fixlint: ignore[fixture-duplicate]
def database():
    return "first"


@fx
def database():  # redefined on purpose: the suppression above is in use
    return "second"


@pytest.fixture(scope="session")
def app(tmp_path):  # fixlint: ignore[fixture-scope-mismatch]
    return tmp_path


@pytest.fixture  # fixlint: ignore[required-events-missing]: a rule that did not run is not judged
def events():
    return ["# fixlint: ignore[fixture-duplicate] in a string is no comment"]


def test_app(app, database, events):
    assert database == "second"
