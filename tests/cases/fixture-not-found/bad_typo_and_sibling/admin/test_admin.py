import pytest


def test_typo(usr):
    assert usr


def test_sibling(cart):
    assert cart == []


class TestAdmin:
    def test_admin(self, admin):
        assert admin

    @pytest.mark.usefixtures("audit_log")
    def test_audit(self):
        pass
