"""Random async suites whose fixtures hold loop-bound objects, for the loop-scope test against pytest.

A tree is one folder ``t<seed>/``: a conftest of async fixtures, each making a queue, an event or
a client bound to the loop it runs in, and test modules whose async tests use those objects, so
that a test fails unless it runs in the loop of every fixture it uses. Tests that share a fixture
form a group; a group is either sound (its fixtures and tests in one loop, set with ``loop_scope``
where the defaults do not give it) or broken as the suites of the report are: every fixture and
test left in the default loops, so that a fixture broader than its loop raises ScopeMismatch.

Replay one seed: FIXLINT_LOOP_SEED=<n> python -m pytest tests/differential/test_loop_scope_vs_pytest.py -q
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

SCOPES = ("function", "module", "session")  # narrowest first
KINDS = ("queue", "event", "client")
RANK = {scope: index for index, scope in enumerate(SCOPES)}

CONFTEST_HEAD = '''import asyncio

import pytest
import pytest_asyncio


class Client:
    """Bound to the loop it was made in, as a network client is."""

    def __init__(self):
        self.loop = asyncio.get_running_loop()

    async def call(self, value):
        future = self.loop.create_future()
        self.loop.call_soon(future.set_result, value)
        return await future


async def bound(kind):
    """A queue, an event or a client, bound to the running loop."""
    if kind == "client":
        return Client()
    made = asyncio.Queue() if kind == "queue" else asyncio.Event()
    try:
        await asyncio.wait_for(made.get() if kind == "queue" else made.wait(), 0.001)
    except asyncio.TimeoutError:
        pass
    return made

'''


@dataclass
class LoopFixture:
    name: str
    scope: str
    kind: str
    plain: bool  # ``@pytest.fixture`` (auto mode runs it) rather than ``@pytest_asyncio.fixture``
    loop: Optional[str] = None  # ``loop_scope=`` as written; None: none written

    def render(self) -> list[str]:
        kwargs = [f'scope="{self.scope}"'] if self.scope != "function" else []
        if self.loop is not None:
            kwargs.append(f'loop_scope="{self.loop}"')
        call = "pytest.fixture" if self.plain else "pytest_asyncio.fixture"
        decorator = f"@{call}({', '.join(kwargs)})" if kwargs else f"@{call}"
        return [decorator, f"async def {self.name}():", f'    return await bound("{self.kind}")', "", ""]


@dataclass
class LoopTest:
    name: str
    module: str
    fixtures: list[LoopFixture]
    asynchronous: bool
    loop: Optional[str] = None  # ``loop_scope=`` on its mark; None: none written
    marked: bool = True  # has an asyncio mark of its own (auto mode needs none)

    def render(self) -> list[str]:
        lines = []
        if self.asynchronous and (self.marked or self.loop is not None):
            lines.append(f'@pytest.mark.asyncio(loop_scope="{self.loop}")' if self.loop else "@pytest.mark.asyncio")
        args = ", ".join(fixture.name for fixture in self.fixtures)
        if self.asynchronous:
            lines.append(f"async def {self.name}({args}):")
            for fixture in self.fixtures:
                lines += _use(fixture)
        else:
            lines.append(f"def {self.name}({args}):")
            lines += [f"    assert {fixture.name} is not None" for fixture in self.fixtures]
        return lines + ["", ""]


def _use(fixture: LoopFixture) -> list[str]:
    """Statements that fail unless the running loop is the one the fixture's object is bound to."""
    if fixture.kind == "client":
        return [f"    assert await {fixture.name}.call(7) == 7"]
    wait = f"{fixture.name}.get()" if fixture.kind == "queue" else f"{fixture.name}.wait()"
    return [
        "    try:",
        f"        await asyncio.wait_for({wait}, 0.001)",
        "    except asyncio.TimeoutError:",
        "        pass",
    ]


@dataclass
class LoopTree:
    fixtures: list[LoopFixture]
    tests: list[LoopTest]
    broken: list[str] = field(default_factory=list)  # the fixtures pytest refuses as generated

    def render(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        conftest = [CONFTEST_HEAD, ""]
        for fixture in self.fixtures:
            conftest += fixture.render()
        (root / "conftest.py").write_text("\n".join(conftest).rstrip() + "\n")
        modules: dict[str, list[str]] = {}
        for test in self.tests:
            modules.setdefault(test.module, ["import asyncio", "", "import pytest", "", ""]).extend(test.render())
        for module, lines in modules.items():
            (root / module).write_text("\n".join(lines).rstrip() + "\n")


@dataclass(frozen=True)
class LoopSettings:
    """A batch's ini: the default loops of fixtures and tests, and the mode."""

    mode: str
    fixture_loop: str
    test_loop: str

    def ini(self) -> str:
        lines = ["[pytest]", f"asyncio_mode = {self.mode}", f"asyncio_default_fixture_loop_scope = {self.fixture_loop}"]
        if self.test_loop != "function" or self.fixture_loop != "function":
            lines.append(f"asyncio_default_test_loop_scope = {self.test_loop}")
        return "\n".join(lines) + "\n"


def batch_settings(rng: random.Random) -> LoopSettings:
    default = rng.choice(("function", "function", "module"))
    return LoopSettings(rng.choice(("strict", "auto")), default, default)


def generate(seed: int, settings: LoopSettings) -> LoopTree:
    rng = random.Random(seed)
    auto = settings.mode == "auto"
    fixtures = [
        LoopFixture(f"f{index}", rng.choice(SCOPES), rng.choice(KINDS), auto and rng.random() < 0.5)
        for index in range(rng.randint(2, 5))
    ]
    modules = ["test_a.py", "test_b.py"][: rng.randint(1, 2)]
    tests = [
        LoopTest(
            f"test_{index}",
            rng.choice(modules),
            rng.sample(fixtures, k=rng.randint(1, min(3, len(fixtures)))),
            rng.random() < 0.8,
            marked=not auto or rng.random() < 0.5,
        )
        for index in range(rng.randint(2, 6))
    ]
    tree = LoopTree(fixtures, tests)
    for group_fixtures, group_tests in _groups(fixtures, tests):
        broadest = max((fixture.scope for fixture in group_fixtures), key=RANK.__getitem__)
        if RANK[broadest] > RANK[settings.fixture_loop] and rng.random() < 0.7:
            # Broken as found: everything in the default loops.
            tree.broken += [f.name for f in group_fixtures if RANK[f.scope] > RANK[settings.fixture_loop]]
            continue
        loop = max(broadest, settings.fixture_loop, key=RANK.__getitem__)
        if rng.random() < 0.3:
            loop = SCOPES[rng.randint(RANK[loop], len(SCOPES) - 1)]
        for fixture in group_fixtures:
            if fixture.plain and (loop != settings.fixture_loop or rng.random() < 0.3):
                fixture.plain = False  # only pytest_asyncio's decorator takes loop_scope
            if loop != settings.fixture_loop or (not fixture.plain and rng.random() < 0.3):
                fixture.loop = loop
        for test in group_tests:
            if test.asynchronous and (loop != settings.test_loop or rng.random() < 0.3):
                test.loop = loop
    return tree


def _groups(fixtures: list[LoopFixture], tests: list[LoopTest]) -> list[tuple[list[LoopFixture], list[LoopTest]]]:
    """The fixtures and async tests that must share one loop: those an async test links."""
    parent = {fixture.name: fixture.name for fixture in fixtures}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    for test in tests:
        if test.asynchronous:
            for fixture in test.fixtures[1:]:
                parent[root(fixture.name)] = root(test.fixtures[0].name)
    groups: dict[str, tuple[list[LoopFixture], list[LoopTest]]] = {}
    for fixture in fixtures:
        groups.setdefault(root(fixture.name), ([], []))[0].append(fixture)
    for test in tests:
        if test.asynchronous:
            groups[root(test.fixtures[0].name)][1].append(test)
    return list(groups.values())
