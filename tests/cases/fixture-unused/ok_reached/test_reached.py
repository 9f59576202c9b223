import pytest

pytestmark = pytest.mark.usefixtures("by_module_mark")


@pytest.mark.usefixtures("by_mark")
def test_user(user, renamed, wrapped):
    assert user == {"db": "db"} and renamed == "r" and wrapped == 2


def test_by_name(request):
    assert request.getfixturevalue("by_name") == "looked up"


@pytest.mark.parametrize("indirect", [1], indirect=True)
def test_indirect(indirect):
    assert indirect == 2


class TestInClass:
    @pytest.fixture
    def local(self):
        return "local"

    def test_local(self, local):
        assert local == "local"
