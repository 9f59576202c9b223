def test_broker_starts_empty(broker):
    assert broker == {"topics": []}
