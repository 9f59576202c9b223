# `globals()` writes bind names fixlint does not list: the test is judged.
globals()["slow"] = lambda function: function


@slow
def test_admin(admn):
    assert admn
