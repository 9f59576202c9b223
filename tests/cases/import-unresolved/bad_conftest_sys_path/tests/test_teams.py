from tools.builders import make_team


def test_team():
    assert make_team()
