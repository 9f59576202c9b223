def test_events(events):
    assert events
