import pytest


@pytest.fixture(autouse=True)
def docs_namespace(doctest_namespace):
    # no Python test stands here: the doctests of the text files below get it
    doctest_namespace["greeting"] = "hello"


@pytest.fixture
def docs_client():
    return "client"  # requested by name from a doctest: getfixture("docs_client")
