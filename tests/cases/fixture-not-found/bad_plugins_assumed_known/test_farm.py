def test_farm(farm, barn):
    assert farm and barn
