import pytest


@pytest.fixture
def user(request):
    return getattr(request, "param", "ada")
