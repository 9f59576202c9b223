import pytest

import tests.constants as c
from tests import constants
from tests.constants import DEFAULT_SCOPE, SESSION_SCOPE, Kind

SESS = "sess"
LOCAL_SCOPE = "module"


@pytest.fixture(scope=SESSION_SCOPE)
def imported(tmp_path):
    return tmp_path


@pytest.fixture(scope=SESSION_SCOPE)  # the same constant, used right: it must stay as it is
def shared(tmp_path_factory):
    return tmp_path_factory


@pytest.fixture(scope=c.MODULE_SCOPE, autouse=False)
def module_alias(tmp_path):
    return tmp_path


@pytest.fixture(scope=constants.Scopes.CLASS)
def class_attribute(tmp_path):
    return tmp_path


@pytest.fixture(scope=Kind.SESSION)
def enum_member(tmp_path):
    return tmp_path


@pytest.fixture(scope=Kind.MODULE.value)
def enum_value(tmp_path):
    return tmp_path


@pytest.fixture(scope=SESS + "ion")
def concatenated(tmp_path):
    return tmp_path


@pytest.fixture(scope=DEFAULT_SCOPE)
def aliased(tmp_path):
    return tmp_path


@pytest.fixture(scope=LOCAL_SCOPE)
def local(tmp_path):
    return tmp_path


LOCAL_SCOPE = "function"  # rebound: the fixture above was made with "module"


@pytest.fixture(scope=LOCAL_SCOPE)
def after_rebinding(tmp_path):
    return tmp_path
