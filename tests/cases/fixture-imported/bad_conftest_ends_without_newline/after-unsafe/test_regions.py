def test_region(region):
    assert region == "eu"
