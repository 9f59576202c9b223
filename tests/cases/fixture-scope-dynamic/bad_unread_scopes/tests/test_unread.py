def test_unread(environment, guarded, by_lambda):
    assert environment


def test_plain(uses_plain):
    assert uses_plain
