def test_client(client, engine):
    assert client["schema"] == [engine["url"]]
