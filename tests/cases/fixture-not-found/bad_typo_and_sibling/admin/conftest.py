import pytest


@pytest.fixture
def admin(user, request):
    # Not found when the test sets it up: the test errors.
    return request.getfixturevalue("permissions")
