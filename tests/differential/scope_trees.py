"""Random fixture trees for the differential test against pytest.

A tree is a model (fixture definitions with their requests, tests with theirs) rendered to
files, so that a request can be taken out and the tree rendered again. Every fixture name is
defined in the tree's top conftest, so every name resolves for every test; deeper conftests,
modules and classes override names, sometimes requesting their own name. Requests between names
only go from a higher index to a lower one, so there are no cycles.

Replay one seed: FIXLINT_DIFF_SEED=<n> python -m pytest tests/differential -q
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

SCOPES = ("function", "class", "module", "package", "session")
BUILTINS = (
    "tmp_path",
    "tmp_path_factory",
    "monkeypatch",
    "pytestconfig",
    "request",
    "mocker",
    "session_mocker",
    "module_mocker",
)


@dataclass
class FixtureModel:
    name: str
    func_name: str
    scope: str
    holder: str  # "conftest:<dir>", "module:<file>" or "class:<file>:<Class>"
    args: list[str]
    dynamic: list[str] = field(default_factory=list)  # request.getfixturevalue targets
    autouse: bool = False
    params: bool = False
    asyncio: Optional[str] = None  # None, or the loop_scope ("" for none given)
    alias: bool = False  # registered with name=
    location: tuple[str, int] = ("", 0)  # (file, decorator line) once rendered

    def decorator(self) -> str:
        kwargs = []
        if self.scope != "function" or random.Random(self.func_name).random() < 0.3:
            kwargs.append(f'scope="{self.scope}"')
        if self.alias:
            kwargs.append(f'name="{self.name}"')
        if self.autouse:
            kwargs.append("autouse=True")
        if self.params:
            kwargs.append("params=[1, 2]")
        if self.asyncio:
            kwargs.append(f'loop_scope="{self.asyncio}"')
        call = "pytest_asyncio.fixture" if self.asyncio is not None else "fx"
        return f"@{call}({', '.join(kwargs)})" if kwargs else f"@{call}"

    def render(self, in_class: bool) -> list[str]:
        params = (["self"] if in_class else []) + list(dict.fromkeys(self.args + (["request"] if self.dynamic else [])))
        asynchronous = "async " if self.asyncio is not None else ""
        lines = [self.decorator(), f"{asynchronous}def {self.func_name}({', '.join(params)}):"]
        lines += [f'    request.getfixturevalue("{name}")' for name in self.dynamic]
        lines.append("    return 1")
        return lines


@dataclass
class TestModel:
    name: str
    holder: str  # "module:<file>" or "class:<file>:<Class>"
    args: list[str]
    usefixtures: list[str] = field(default_factory=list)
    direct: Optional[tuple[str, Optional[str]]] = None  # (name, scope) parametrized directly
    indirect: Optional[tuple[str, Optional[str]]] = None  # (name, scope) parametrized indirectly
    asynchronous: bool = False

    def render(self, in_class: bool) -> list[str]:
        lines = []
        if self.usefixtures:
            lines.append(f"@pytest.mark.usefixtures({', '.join(repr(n) for n in self.usefixtures)})")
        for spec, indirect in ((self.direct, False), (self.indirect, True)):
            if spec:
                name, scope = spec
                extra = (", indirect=True" if indirect else "") + (f', scope="{scope}"' if scope else "")
                lines.append(f'@pytest.mark.parametrize("{name}", [1, 2]{extra})')
        if self.asynchronous:
            lines.append("@pytest.mark.asyncio")
        args = (["self"] if in_class else []) + list(
            dict.fromkeys(self.args + [s[0] for s in (self.direct, self.indirect) if s])
        )
        lines.append(f"{'async ' if self.asynchronous else ''}def {self.name}({', '.join(args)}):")
        lines.append("    pass")
        return lines


@dataclass
class TreeModel:
    fixtures: list[FixtureModel]
    tests: list[TestModel]
    module_marks: dict[str, list[str]]  # file -> usefixtures in pytestmark
    base_marks: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # test class -> usefixtures of its base

    def render(self, root: Path) -> None:
        """Write the files; remember where each fixture's decorator lands, as pytest reports it."""
        files: dict[str, list[tuple[Optional[FixtureModel], list[str]]]] = {}
        classes: dict[tuple[str, str], list[tuple[Optional[FixtureModel], list[str]]]] = {}
        for item in [*self.fixtures, *self.tests]:
            kind, _, where = item.holder.partition(":")
            in_class = kind == "class"
            lines = item.render(in_class)
            fixture = item if isinstance(item, FixtureModel) else None
            if in_class:
                path, _, cls = where.partition(":")
                classes.setdefault((path, cls), []).append((fixture, [f"    {line}" for line in lines] + [""]))
            else:
                path = f"{where}/conftest.py" if kind == "conftest" else where
                files.setdefault(path, []).append((fixture, lines + ["", ""]))
        for (path, cls), members in classes.items():
            base = self.base_marks.get((path, cls))
            if base:
                marks = ", ".join(repr(name) for name in base)
                header = [
                    f"@pytest.mark.usefixtures({marks})",
                    f"class {cls[4:]}Base:",
                    "    pass",
                    "",
                    "",
                    f"class {cls}({cls[4:]}Base):",
                ]
            else:
                header = [f"class {cls}:"]
            files.setdefault(path, []).append((None, header))
            files[path].extend(members)
        for path, items in files.items():
            text = ["import pytest", "import pytest_asyncio", "from pytest import fixture as fx", "", ""]
            marks = self.module_marks.get(path)
            if marks:
                text += [f"pytestmark = pytest.mark.usefixtures({', '.join(repr(m) for m in marks)})", "", ""]
            for fixture, lines in items:
                if fixture is not None:
                    fixture.location = (path.lstrip("./"), len(text) + 1)
                text.extend(lines)
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(text).rstrip() + "\n")

    def remove_request(self, path: str, line: int, name: str) -> bool:
        """Take one request out of the fixture whose decorator is at path:line (as rendered)."""
        for fixture in self.fixtures:
            if fixture.location == (path, line):
                if name.startswith("_") and name.endswith("_scoped_runner"):
                    # A session loop suits any scope, a parametrization's included.
                    fixture.asyncio = "session"
                    return True
                if name in fixture.dynamic:
                    fixture.dynamic.remove(name)
                    return True
                aliases = [f.func_name for f in self.fixtures if f.name == name] + [name]
                for arg in list(fixture.args):
                    if arg in aliases:
                        fixture.args.remove(arg)
                        return True
        return False


def generate(seed: int) -> TreeModel:
    rng = random.Random(seed)
    count = rng.randint(4, 9)
    names = [f"f{index}" for index in range(count)]
    modules = ["test_a.py", "sub/test_b.py", "sub/deep/test_c.py"][: rng.randint(1, 3)]
    conftest_dirs = ["."] + [d for d in ("sub", "sub/deep") if any(m.startswith(d + "/") for m in modules)]
    fixtures: list[FixtureModel] = []
    serial = iter(range(10_000))

    def requests_for(index: int) -> list[str]:
        pool = names[:index] + list(BUILTINS)
        return rng.sample(pool, k=min(len(pool), rng.choice((0, 1, 1, 2, 3))))

    for index, name in enumerate(names):
        fixtures.append(_fixture(rng, name, "conftest:.", requests_for(index), serial))
    classes: list[tuple[str, str]] = []
    for module in modules:
        if rng.random() < 0.6:
            classes.append((module, f"TestK{next(serial)}"))
    holders = (
        [f"conftest:{d}" for d in conftest_dirs[1:]]
        + [f"module:{m}" for m in modules]
        + [f"class:{m}:{c}" for m, c in classes]
    )
    for _ in range(rng.randint(0, 5)):
        if not holders:
            break
        holder = rng.choice(holders)
        index = rng.randrange(count)
        args = requests_for(index)
        if rng.random() < 0.4:
            args.append(names[index])  # an override that requests its own name
        fixtures.append(_fixture(rng, names[index], holder, args, serial))
    tests: list[TestModel] = []
    test_holders = [f"module:{m}" for m in modules] + [f"class:{m}:{c}" for m, c in classes]
    for _ in range(rng.randint(2, 6)):
        holder = rng.choice(test_holders)
        test = TestModel(f"test_{next(serial)}", holder, rng.sample(names, k=rng.randint(0, 3)))
        if rng.random() < 0.25:
            test.usefixtures = rng.sample(names, k=1)
        if rng.random() < 0.2:
            test.direct = (rng.choice(names), rng.choice((None, None, "module", "session")))
        elif rng.random() < 0.15:
            test.indirect = (rng.choice(names), rng.choice((None, "function", "module")))
        test.asynchronous = rng.random() < 0.2
        tests.append(test)
    module_marks = {m: rng.sample(names, k=1) for m in modules if rng.random() < 0.15}
    # A direct parametrization is only a value: its name must not also be requested by usefixtures.
    for test in tests:
        if test.direct:
            test.usefixtures = [n for n in test.usefixtures if n != test.direct[0]]
            test.args = [n for n in test.args if n != test.direct[0]]
            if any(test.direct[0] in marks for marks in module_marks.values()):
                test.direct = None
    # Drawn apart, so that the trees of earlier seeds keep their shape: marks a test class
    # inherits from its base. The batch's ini may request f0 (see batch_ini): f0 is never a value.
    extra = random.Random(seed * 7 + 3)
    base_marks = {key: extra.sample(names, k=1) for key in classes if extra.random() < 0.4}
    for test in tests:
        inherited = base_marks.get(tuple(test.holder.split(":", 1)[1].split(":")), [])  # type: ignore[arg-type]
        if test.direct and (test.direct[0] == "f0" or test.direct[0] in inherited):
            test.direct = None
    return TreeModel(fixtures, tests, module_marks, base_marks)


def _fixture(rng: random.Random, name: str, holder: str, args: list[str], serial) -> FixtureModel:
    dynamic = []
    own_name = name in args
    candidates = [a for a in args if a != name and not a.startswith("f") and a != "request"]
    if candidates and rng.random() < 0.3:
        dynamic = [candidates[0]]  # only builtins: their resolution is the same for every test
        args = [a for a in args if a != candidates[0]]
    alias = not own_name and rng.random() < 0.15
    fixture = FixtureModel(
        name=name,
        func_name=f"{name}_impl{next(serial)}" if alias else name,
        scope=rng.choice(SCOPES),
        holder=holder,
        args=args,
        dynamic=dynamic,
        autouse=rng.random() < 0.1,
        params=rng.random() < 0.1,
        asyncio=rng.choice(("", "function", "module", "session")) if rng.random() < 0.15 else None,
        alias=alias,
    )
    return fixture
