import pytest


@pytest.fixture(scope="session")
def app(db):
    return db

def test_feed(app):
    assert app
    x = 1

class TestFeed:
    def test_m(self, db): pass

# fixlint: ignore[fixture-scope-mismatch]
value = Call(1,
  2)
