import pytest

# The decorator by another name, chosen by pytest's version as old plugins do.
if hasattr(pytest, "fixture"):
    fixture = pytest.fixture
else:
    fixture = pytest.yield_fixture


@fixture(scope="function")
def session_token():
    return "token"


@fixture
def headers(session_token):
    return {"Authorization": session_token}
