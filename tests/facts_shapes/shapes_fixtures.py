"""Fixture and mark shapes the extractors must read alike."""
import pytest as pt
import pytest_asyncio
from pytest import fixture, mark as m
import os.path, sys; import json
try:
    import yaml
except ImportError:  # fixlint: ignore[fixture-duplicate]
    yaml = None
if sys.version_info >= (3, 11):
    import tomllib
elif True:
    tomllib = None
else:
    if os:
        tomllib = 1
with open(os.devnull) as handle: import csv
for _ in (): import array
else:
    import queue
while False:
    import heapq
else:
    pass

use_db = pt.mark.usefixtures("db", 'cache')
live = pt.mark.live
pytestmark = [use_db, live, pt.mark.parametrize("x", [1]), *[pt.mark.slow]]
pytest_plugins = ("plugins.one", "plugins.two")
REQUIRED = frozenset({"agent_started", "agent_thinking"})
OTHER = set(["a", "b"])
NOT_STRINGS = ["a", 1]
EMPTY = []


@ pt.fixture( scope = 'session' , autouse=True, )
def app(db, /, cache, *args, flag=1, kw, other=2, **rest):
    return db


@pt.fixture()
def db(request):
    request.getfixturevalue("cache"); request.getfixturevalue(argname='late')
    def inner():
        return request.getfixturevalue("nested")
    return inner


@pt.fixture(scope=("module"), params=None, name="renamed")
def cache():
    yield


@pt.fixture(scope="mod" "ule", autouse=flag)
def concatenated():
    ...


@pt.fixture(scope=b"module", loop_scope=f"{x}")
def odd_values(): pass


@pt.fixture(scope=None, params=[1, 2])
def with_params(request): return request.param


@pt.fixture(scope='''session''')
def triple():
    pass


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def event_loop():
    yield


@fixture
def bare():
    pass


@pt.fixture(
    scope="function",  # trailing comment
    autouse=False,
)
def multiline():
    pass


if os:
    @pt.fixture
    def branchy():
        pass
else:
    @pt.fixture
    def branchy():
        pass

try:
    @pt.fixture
    def tried(): pass
except Exception as Error:
    @pt.fixture
    def tried(): pass
finally:
    pass


@m.parametrize("a, b", [(1, 2)])
@pt.mark.parametrize(argnames=["c"], argvalues=[3], indirect=True, scope="module")
@pt.mark.parametrize(("d",), [4], indirect=["d"])
@pt.mark.parametrize(*["e"])
@pt.mark.usefixtures(*["skipped"], "kept")
@use_db
@pt.mark.skipif(True, reason="x")
def test_marks(a, b, c, d, e=1):
    pass


@pt.mark.asyncio
async def test_async(app):
    await app(lambda: Client(), key=Value())


@pt.mark.usefixtures("db")
class TestThings(Base, *Mixins, metaclass=Meta):
    pytestmark = pt.mark.usefixtures("cache")
    NAMES = ("x", "y")

    class TestInner:
        pytestmark = [pt.mark.slow]

        def test_inner(self, db):
            pass

    @staticmethod
    def test_static(db):
        pass

    @classmethod
    def helper(cls, x):
        return cls

    def test_method(self, db, *, kw):
        pass

    async def test_default(self, arg=Default(), *, other: Annotated = Other()) -> Returned():
        pass


def factory():
    class Hidden(Base):
        VALUE = Thing()

        def test_hidden(self):
            pass
    return Hidden
