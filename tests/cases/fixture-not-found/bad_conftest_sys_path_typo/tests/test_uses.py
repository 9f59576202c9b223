def test_lib(lib_clinet):
    assert lib_clinet == "client"


def test_more(more_thing):
    assert more_thing == "client+more"
