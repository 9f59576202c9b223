def test_client(client):
    assert client["url"] == "sqlite://"


def test_settings(settings):
    assert settings["url"]
