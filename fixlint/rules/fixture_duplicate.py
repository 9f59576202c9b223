from __future__ import annotations

from typing import Iterator, Optional

from fixlint.facts import FixtureFact
from fixlint.findings import Finding
from fixlint.project import Project
from fixlint.rules.base import Example, Rule, fixture_finding


class FixtureDuplicate(Rule):
    """## What it does
    Finds a fixture defined twice in one module or one class: the same function name twice, or
    two functions registered under one `name=`. Alternatives under an `if` or `try` are not
    reported: only one of them runs.

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
    summary = "A fixture defined twice in one module or class; the first is dead"
    examples = (
        Example(
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture(scope=\"session\")\ndef client():\n    return 1\n\n@pytest.fixture\ndef client():\n    return 2\n",
            },
            expected=("conftest.py:3 fixture-duplicate",),
        ),
        Example(
            files={
                "conftest.py": "import pytest\n\n@pytest.fixture\ndef client():\n    return 1\n\nclass TestX:\n    @pytest.fixture\n    def client(self):\n        return 2\n",
            },
        ),
        Example(
            # Alternatives: only one branch runs.
            files={
                "conftest.py": "import sys\nimport pytest\n\nif sys.platform == 'win32':\n    @pytest.fixture\n    def shell():\n        return 'cmd'\nelse:\n    @pytest.fixture\n    def shell():\n        return 'sh'\n",
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
        # The last def of a function name is the binding; among bindings, the last by name wins.
        bindings = {fact.func_name: fact for fact in facts}
        winners = {}
        for func_name in sorted(bindings):
            winners[bindings[func_name].name] = bindings[func_name]
        for fact in facts:
            binding = bindings[fact.func_name]
            if fact.conditional or binding.conditional or winners[fact.name].conditional:
                continue  # alternatives under an `if` or `try`: which one runs is decided at import
            if binding is not fact:
                reason = f"redefined at line {binding.def_line}; this definition is never used"
            else:
                winner = winners[fact.name]
                if winner is fact or fact.name in winner.argnames:
                    continue
                reason = f"`{winner.func_name}` at line {winner.def_line} is registered under the same name and is the one pytest uses"
            yield fixture_finding(
                self.name, path, fact,
                f"fixture `{fact.name}` is defined twice: {reason}",
                data={"fixture": fact.name, "kept_line": (binding if binding is not fact else winners[fact.name]).def_line},
            )
