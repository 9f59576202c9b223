import pytest


@pytest.fixture
def sqlite():
    return "sqlite"


@pytest.fixture
def backend(request):
    return request.getfixturevalue(request.param)
