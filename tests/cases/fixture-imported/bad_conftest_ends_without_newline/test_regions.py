from helpers.regions import region


def test_region(region):
    assert region == "eu"
