"""The core family: findings the engine itself makes about its input (files that do not parse or
cannot be read, a pytest configuration pytest would reject) and suppressions that suppress nothing."""

from __future__ import annotations

from fixlint.findings import Applicability
from fixlint.rules.base import Example, Rule


class SyntaxErrorRule(Rule):
    """## What it does
    Reports a file that this Python cannot compile, with CPython's message and position, and the
    Python version whose syntax it is where the line shows it. Where the project's
    `requires-python` excludes this Python and admits that version, the file is not in error:
    one warning names such files and the Python to run fixlint on.

    ## Why is this bad?
    fixlint cannot analyse the file, and pytest fails to import it.

    ## Fix safety
    No fix.
    """

    name = "syntax-error"
    family = "core"
    blocks = "collection-error"
    summary = "The file does not parse"
    examples = (
        Example(files={"test_broken.py": "def test_x(:\n    pass\n"}, expected=("test_broken.py:1 syntax-error",)),
    )


class IoError(Rule):
    """## What it does
    Reports a file or folder fixlint cannot read: permissions, a dangling symlink, a symlink loop.

    ## Why is this bad?
    What cannot be read cannot be checked; the other files are still processed.

    ## Fix safety
    No fix.
    """

    name = "io-error"
    family = "core"
    blocks = "collection-error"
    summary = "A file or folder that cannot be read"


class PytestConfigError(Rule):
    """## What it does
    Reports a pytest configuration file (pyproject.toml, pytest.ini, tox.ini, setup.cfg) that
    pytest itself would reject, such as a pyproject.toml that is not valid TOML.

    ## Why is this bad?
    pytest refuses to start; fixlint judges the files under it with pytest's defaults.

    ## Fix safety
    No fix.
    """

    name = "pytest-config"
    family = "core"
    blocks = "collection-error"
    summary = "A pytest configuration file that pytest would reject"
    examples = (
        Example(
            files={
                "service/pyproject.toml": "[tool.pytest.ini_options\n",
                "service/test_x.py": "def test_x():\n    pass\n",
            },
            expected=("service/pyproject.toml:1 pytest-config",),
        ),
    )


class UnusedSuppression(Rule):
    """## What it does
    Reports a `# fixlint: ignore[...]` comment that suppresses no finding of the rules it names
    (or, bare, of any rule) on its line, and one that names a rule that does not exist, with the
    nearest rule name.

    ## Why is this bad?
    A stale suppression hides the next real finding on that line; a misspelt one suppresses
    nothing and lets its finding through.

    ## Example
    ```python
    @pytest.fixture  # fixlint: ignore[fixture-scope-mismatch]
    def db(): ...
    ```

    ## Fix safety
    Safe: the fix removes a stale comment. A comment naming an unknown rule has no fix: its
    author meant something, and the name is theirs to correct.
    """

    name = "unused-suppression"
    family = "core"
    blocks = "style"
    summary = "A `# fixlint: ignore` comment that suppresses nothing"
    fix = Applicability.SAFE
    examples = (
        Example(
            files={"test_x.py": "def test_x():  # fixlint: ignore[fixture-duplicate]\n    pass\n"},
            expected=("test_x.py:1 unused-suppression",),
            fixed={"test_x.py": "def test_x():\n    pass\n"},
            also_select=("fixture-duplicate",),
        ),
        Example(
            files={
                "conftest.py": (
                    "import pytest\n\n@pytest.fixture  # fixlint: ignore[fixture-duplicate]\ndef a():\n    pass\n\n"
                    "@pytest.fixture\ndef a():\n    pass\n"
                ),
            },
            also_select=("fixture-duplicate",),
        ),
    )


RULES = (SyntaxErrorRule, IoError, PytestConfigError, UnusedSuppression)
