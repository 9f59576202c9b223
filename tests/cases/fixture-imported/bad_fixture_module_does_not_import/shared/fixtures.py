import pytest

from cloud_ns.cloud import storage


@pytest.fixture
def bucket():
    return storage.BUCKET
