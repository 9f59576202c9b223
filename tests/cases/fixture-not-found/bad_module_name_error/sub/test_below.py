def test_user(usr):
    assert usr
