from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from fixlint.facts.model import FixtureFact
from fixlint.findings import Applicability, Finding
from fixlint.pytest_model.analysis import project_analysis
from fixlint.pytest_model.closure import declared_scope
from fixlint.pytest_model.project import Project
from fixlint.pytest_model.scope import Scope
from fixlint.rules.base import Example, Rule, fixture_finding
from fixlint.rules.fixture_scope.edits import planned_narrowing
from fixlint.rules.fixture_scope.mismatch import FIX_TO


class FixtureAutouseMixed(Rule):
    """## What it does
    Finds autouse fixtures of different scopes defined in one module or one class.

    ## Why is this bad?
    Autouse fixtures run for every test in reach, in an order pytest derives from their scopes,
    not from where they are written. Mixing session, module and function autouse fixtures in
    one place makes the set-up order hard to follow, and is the pattern behind the conflicting
    fixtures of the WebSocket test report. Off by default: pytest runs such fixtures fine, and
    "session sets up, function resets" is a common, deliberate pattern; a team that holds to the
    report's standard turns it on with `extend-select = ["fixture-autouse-mixed"]`.

    ## Example
    ```python
    @pytest.fixture(scope="session", autouse=True)
    def services(): ...

    @pytest.fixture(autouse=True)
    def clean_db(): ...
    ```

    ## Use instead
    ```python
    @pytest.fixture(scope="function", autouse=True)
    def services(): ...

    @pytest.fixture(autouse=True)
    def clean_db(): ...
    ```

    ## Fix safety
    Unsafe: the fix narrows the broader autouse fixtures (to `function`, or to the narrowest
    autouse scope of the module with `fix-to = "narrowest"`), so they run more often than today.
    Fixtures that the change puts in conflict are narrowed too.

    ## Options
    - `[tool.fixlint.fixture-scope] fix-to`: `"function"` (default) or `"narrowest"`.
    """

    name = "fixture-autouse-mixed"
    family = "fixture-scope"
    blocks = "style"
    summary = "Autouse fixtures of different scopes in one module or class"
    fix = Applicability.UNSAFE
    # The report's house standard, not an error pytest raises: turn it on with `extend-select`.
    default_enabled = False
    options_schema = {"fix-to": FIX_TO}
    examples = (
        Example(
            files={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="session", autouse=True)\ndef services():\n    yield\n\n'
                    '@pytest.fixture(autouse=True, scope="function")\ndef clean():\n    yield\n'
                ),
                "test_x.py": "def test_x():\n    pass\n",
            },
            expected=("conftest.py:3 fixture-autouse-mixed",),
            fixed={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="function", autouse=True)\ndef services():\n    yield\n\n'
                    '@pytest.fixture(autouse=True, scope="function")\ndef clean():\n    yield\n'
                ),
            },
        ),
        Example(
            files={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="session", autouse=True)\ndef services():\n    yield\n\n'
                    '@pytest.fixture(scope="module")\ndef clean():\n    yield\n'
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        analysis = project_analysis(project)
        for path in sorted(project.files):
            file = project.files[path]
            groups: dict[Optional[str], list[FixtureFact]] = {}
            for fact in file.facts.fixtures:
                if fact.autouse:
                    groups.setdefault(fact.owner, []).append(fact)
            for facts in groups.values():
                scopes = [declared_scope(project.fixture_def(file, fact)) for fact in facts]
                known = [scope for scope in scopes if scope is not None]
                if len(known) < len(scopes) or len(set(known)) < 2:
                    continue
                narrowest = min(known)
                target = Scope.FUNCTION if self.options["fix-to"] == "function" else narrowest
                listing = ", ".join(f"`{fact.func_name}` ({scope.value})" for fact, scope in zip(facts, known))
                where = f"class `{facts[0].owner}`" if facts[0].owner else "this module"
                for fact, scope in zip(facts, known):
                    if scope == narrowest:
                        continue
                    fixturedef = project.fixture_def(file, fact)
                    fix, reason = planned_narrowing(project, analysis, {fixturedef: target}, self.options["fix-to"])
                    message = f"autouse fixtures of mixed scopes in {where}: {listing}"
                    if fix is None:
                        message += f"; no fix: {reason}"
                    yield fixture_finding(
                        self.name,
                        str(path),
                        fact,
                        message,
                        fix=fix,
                        data={"fixture": fact.name, "scope": scope.value, "autouse": [f.name for f in facts]},
                    )
