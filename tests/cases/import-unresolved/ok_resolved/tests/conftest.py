from tests.fixtures.json import JSONDecodeError  # noqa: F401
