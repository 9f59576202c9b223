def test_account(account):
    assert account


def test_settings(settings):
    assert settings


class TestName:
    def test_name(self, name):
        assert name == "ok"
