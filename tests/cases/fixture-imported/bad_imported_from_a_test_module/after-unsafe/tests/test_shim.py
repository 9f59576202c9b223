# Another module imports the fixture from here.
def test_shim(shim_db):
    assert shim_db == {}
