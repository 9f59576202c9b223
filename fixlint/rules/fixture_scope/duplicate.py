from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from fixlint.facts.model import FixtureFact
from fixlint.findings import Finding
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Rule, fixture_finding


class FixtureDuplicate(Rule):
    """## What it does
    Finds a fixture defined twice in one module or one class: the same function name twice, or
    two functions registered under one `name=`. Alternatives in the branches of an `if`, `try`
    or `match` are not reported: only one of them runs.

    ## Why is this bad?
    The later `def` rebinds the name, so pytest never sees the first definition; with `name=`,
    pytest registers both and uses the one whose function name sorts last. Either way one
    definition is dead code that readers take for the fixture in use.

    ## Example
    ```python
    @pytest.fixture(scope="session")
    def client(): ...

    @pytest.fixture
    def client(): ...
    ```

    ## Use instead
    Keep one definition, or give the second another name.

    ## Fix safety
    No fix: which definition to keep is a decision for the author.
    """

    name = "fixture-duplicate"
    family = "fixture-scope"
    blocks = "maintenance"
    summary = "A fixture defined twice in one module or class; the first is dead"
    examples = (
        Example(
            files={
                "conftest.py": (
                    'import pytest\n\n@pytest.fixture(scope="session")\ndef client():\n    return 1\n\n'
                    "@pytest.fixture\ndef client():\n    return 2\n"
                ),
            },
            expected=("conftest.py:3 fixture-duplicate",),
        ),
        Example(
            files={
                "conftest.py": (
                    "import pytest\n\n@pytest.fixture\ndef client():\n    return 1\n\nclass TestX:\n"
                    "    @pytest.fixture\n    def client(self):\n        return 2\n"
                ),
            },
        ),
        Example(
            # Alternatives: only one branch runs.
            files={
                "conftest.py": (
                    "import sys\nimport pytest\n\nif sys.platform == 'win32':\n    @pytest.fixture\n    def shell():\n"
                    "        return 'cmd'\nelse:\n    @pytest.fixture\n    def shell():\n        return 'sh'\n"
                ),
            },
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        for path in sorted(project.files):
            holders: dict[Optional[str], list[FixtureFact]] = {}
            for fact in project.files[path].facts.fixtures:
                holders.setdefault(fact.owner, []).append(fact)
            for facts in holders.values():
                yield from self._duplicates(str(path), facts)

    def _duplicates(self, path: str, facts: list[FixtureFact]) -> Iterator[Finding]:
        live = []
        for index, fact in enumerate(facts):
            rebinding = [
                later
                for later in facts[index + 1 :]
                if later.func_name == fact.func_name and _always_follows(later, fact)
            ]
            if rebinding:
                yield self._finding(
                    path,
                    fact,
                    rebinding[-1],
                    f"redefined at line {rebinding[-1].def_line}; this definition is never used",
                )
            else:
                live.append(fact)
        # Functions registered under one name in the same block: the last by function name wins.
        for fact in live:
            winner = max(
                (other for other in live if other.name == fact.name and other.branch == fact.branch),
                key=lambda other: other.func_name,
            )
            if winner is not fact and fact.name not in winner.argnames:
                reason = (
                    f"`{winner.func_name}` at line {winner.def_line} is registered under the same name "
                    "and is the one pytest uses"
                )
                yield self._finding(path, fact, winner, reason)

    def _finding(self, path: str, fact: FixtureFact, kept: FixtureFact, reason: str) -> Finding:
        return fixture_finding(
            self.name,
            path,
            fact,
            f"fixture `{fact.name}` is defined twice: {reason}",
            data={"fixture": fact.name, "kept_line": kept.def_line},
        )


def _always_follows(later: FixtureFact, earlier: FixtureFact) -> bool:
    """``later`` runs whenever ``earlier`` has: it stands in the same block or one around it."""
    return earlier.branch[: len(later.branch)] == later.branch
