def pytest_generate_tests(metafunc):
    if "flavour" in metafunc.fixturenames:
        metafunc.parametrize("flavour", ["sweet", "sour"])


def test_flavour(flavour):
    assert flavour
