def test_client(client):
    assert client["debug"]
