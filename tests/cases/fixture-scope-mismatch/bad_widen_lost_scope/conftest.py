from pytest import fixture as fx


# This fixture lost its `scope="session"`: every fixture that builds on it now fails.
@fx
def settings():
    return {"url": "sqlite://"}


@fx(scope="session")
def engine(settings):
    return {"url": settings["url"]}


@fx(scope="session")
def schema(engine):
    return [engine["url"]]
