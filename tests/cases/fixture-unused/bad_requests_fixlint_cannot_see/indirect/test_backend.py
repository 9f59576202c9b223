import pytest


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_backend(backend):
    assert backend == "sqlite"
