from shared.fixtures import bucket


def test_bucket(bucket):
    assert bucket == "b"
