import os

import pytest


def pick_scope(fixture_name, config):
    return "session" if config.getoption("--keep-db", default=False) else "function"


# Computed when pytest runs: fixlint cannot tell, and says nothing (fixture-scope-dynamic would).
@pytest.fixture(scope=pick_scope)
def database(tmp_path):
    return tmp_path / "db"


@pytest.fixture(scope=os.environ.get("FIXLINT_CASE_SCOPE", "function"))
def from_environment(tmp_path):
    return tmp_path


if os.environ.get("FIXLINT_CASE_CI"):
    BRANCH_SCOPE = "session"
else:
    BRANCH_SCOPE = "function"


@pytest.fixture(scope=BRANCH_SCOPE)
def bound_in_a_branch(tmp_path):
    return tmp_path


SCOPE = "function"


@pytest.fixture(scope=SCOPE)
def made_before_rebinding(tmp_path):  # pytest reads SCOPE when the decorator runs: "function"
    return tmp_path


SCOPE = "session"


@pytest.fixture(scope=SCOPE)
def made_after_rebinding(tmp_path_factory):
    return tmp_path_factory
