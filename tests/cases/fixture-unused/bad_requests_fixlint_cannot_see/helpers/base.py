import pytest


class ApiTests:
    @pytest.fixture
    def base_only(self):
        return 1

    def test_base(self, base_only, inherited_only):
        assert base_only and inherited_only
