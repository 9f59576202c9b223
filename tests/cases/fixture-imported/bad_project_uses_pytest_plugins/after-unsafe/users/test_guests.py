def test_guest(guest):
    assert guest == "anonymous"
