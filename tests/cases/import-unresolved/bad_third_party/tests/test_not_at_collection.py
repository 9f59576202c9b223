try:
    import optional_not_installed
except ImportError:
    optional_not_installed = None


def test_inside():
    import inside_not_installed  # fails when the test runs, not at collection

    assert inside_not_installed
