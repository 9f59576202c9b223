# `slow` was imported from a helper module once; the import is gone: NameError at collection.


@slow
def test_admin(admn):
    assert admn
