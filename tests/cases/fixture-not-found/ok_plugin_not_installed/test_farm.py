def test_farm(farm):
    assert farm
