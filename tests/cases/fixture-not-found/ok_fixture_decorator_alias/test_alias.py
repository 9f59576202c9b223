def test_headers(headers):
    assert headers == {"Authorization": "token"}


def test_token(session_token):
    assert session_token == "token"
