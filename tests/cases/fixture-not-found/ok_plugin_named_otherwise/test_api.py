def test_api(respx_mock):
    assert respx_mock
