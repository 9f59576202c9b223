def test_bucket(bucket):
    assert bucket == "b"
