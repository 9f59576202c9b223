import pytest


def test_imported(imported, shared):
    assert imported and shared


def test_forms(module_alias, class_attribute, enum_member, enum_value):
    assert module_alias


def test_expressions(concatenated, aliased, local, after_rebinding):
    assert concatenated


class TestOwnAttribute:
    SCOPE = "class"

    @pytest.fixture(scope="function")
    def own(self, tmp_path):
        return tmp_path

    def test_own(self, own):
        assert own
