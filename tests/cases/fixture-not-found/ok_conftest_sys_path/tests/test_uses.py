def test_lib(lib_client):
    assert lib_client == "client"


def test_more(more_thing):
    assert more_thing == "client+more"
