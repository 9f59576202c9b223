import pytest


@pytest.fixture
def eager_runner():
    return "eager"


@pytest.fixture
def lazy_runner():
    return "lazy"


RUNNERS = (
    eager_runner,
    lazy_runner,
)


class TestRunner:
    # pytest sets up the fixture each parameter is the function object of
    @pytest.fixture(params=RUNNERS)
    def runner(self, request):
        name = request.param.__name__
        return request.getfixturevalue(name)

    def test_runs(self, runner):
        assert runner in ("eager", "lazy")
