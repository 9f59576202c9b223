import pytest

from tests.constants import FROM_ENVIRONMENT, NOT_A_STR, Plain

try:
    from tests.settings import SCOPE
except ImportError:
    SCOPE = "function"


@pytest.fixture(scope=FROM_ENVIRONMENT)
def environment(tmp_path):
    return tmp_path


@pytest.fixture(scope=SCOPE)
def guarded(tmp_path):
    return tmp_path


@pytest.fixture(scope="session")
def uses_plain(plain_member):
    return plain_member


# Not a str: pytest fails collecting the tests that use it (a KeyError comparing scopes).
@pytest.fixture(scope=Plain.SESSION)
def plain_member(tmp_path_factory):
    return tmp_path_factory


@pytest.fixture(scope=NOT_A_STR)  # an int: the same KeyError
def number(tmp_path):
    return tmp_path


@pytest.fixture(scope=lambda fixture_name, config: "function")
def by_lambda(tmp_path):
    return tmp_path
