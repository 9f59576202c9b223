import pytest


@pytest.fixture(scope="session", autouse=True)
def services():
    yield


@pytest.fixture(autouse=True)
def clean():
    yield


@pytest.fixture(scope="session")
def app(request, services):
    return request.param


# Narrowing `services` puts `app` in conflict, and this parametrization keeps `app` at session
# scope whatever its decorator says: the plan, made only when `fix` asks, declines.
@pytest.mark.parametrize("app", [1], indirect=True, scope="session")
def test_app(app):
    assert app == 1
