"""Suppression comments, and text that only looks like one."""
import pytest  # fixlint: ignore

NOT_A_COMMENT = "# fixlint: ignore[fixture-scope-mismatch]"
ALSO_NOT = """
# fixlint: ignore
"""


@pytest.fixture(scope="session")  # fixlint: ignore[fixture-scope-mismatch]
def app(db):
    return db


@pytest.fixture(  # fixlint:ignore[ fixture-scope-mismatch , fixture-autouse-mixed ]
    scope="session",
)
def other(db):
    return db


@pytest.fixture(scope="session")
def third(db):  # fixlint: ignore[]
    return db


def test_x(app):
    value = Call(  # fixlint: ignore[legacy-mock]
        app,
    )
    assert "agent_started" in app  #fixlint:ignore[required-events-missing]
	# fixlint: ignore[indented-with-a-tab-in-a-space-file]
    #   fixlint:   ignore  [not-a-list]
