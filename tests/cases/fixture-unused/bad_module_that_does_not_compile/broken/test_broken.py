def test_broken(only_for_broken):
    assert only_for_broken ==
