import pytest

pytest_plugins = ["fixtures.database"]


@pytest.fixture
def configured():
    return 1


@pytest.fixture
def user(db):
    return {"db": db}


@pytest.fixture
def by_mark():
    yield


@pytest.fixture
def by_module_mark():
    yield


@pytest.fixture
def by_name():
    return "looked up"


@pytest.fixture
def indirect(request):
    return request.param * 2


@pytest.fixture(autouse=True)
def clean():
    yield


@pytest.fixture(name="renamed")
def _renamed():
    return "r"


@pytest.fixture
def tmp_path(tmp_path):  # overrides pytest's own: plugin fixtures may request it
    return tmp_path


@pytest.fixture
def wrapped(wrapped):
    return wrapped + 1
