import pytest


def _make_workdir(tmp_path):
    return tmp_path


# a session fixture made by calling the decorator, requesting a function-scoped one
workdir = pytest.fixture(scope="session")(_make_workdir)


def test_workdir(workdir):
    assert workdir.exists()
