def test_state(state):
    assert state
