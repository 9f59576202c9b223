def test_unread(environment, guarded, by_lambda):
    assert environment


def test_plain(uses_plain):
    assert uses_plain


def test_number(number):
    assert number
