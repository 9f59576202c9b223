import pytest


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


# A near miss: `settings` requests a function fixture, so it cannot be widened; the narrowing
# cascade is the fix.
@pytest.fixture
def settings(workdir):
    return {"url": f"sqlite:///{workdir}/db"}


@pytest.fixture(scope="function")
def engine(settings):
    return {"url": settings["url"]}


@pytest.fixture(scope="function")
def schema(engine):
    return [engine["url"]]
