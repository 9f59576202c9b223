import pytest

try:
    import a_module_this_suite_lacks  # noqa: F401
except ImportError:
    pytest.skip("needs a_module_this_suite_lacks", allow_module_level=True)

    # Defined only when the module is skipped: pytest never collects these.
    def test_never_collected(self, missing_fixture):
        pass


def test_runs_when_the_module_imports(tmp_path):
    assert tmp_path
