import pytest


@pytest.fixture
def thread_worker():
    return "thread"


@pytest.fixture
def process_worker():
    return "process"


@pytest.mark.parametrize("worker_fixture", [thread_worker, process_worker])
def test_worker(worker_fixture, request):
    assert request.getfixturevalue(worker_fixture.__name__) in ("thread", "process")
