"""The pytest plugins a suite runs with, as far as fixlint can tell without running pytest: the
versions of the distributions installed in the suite's environment (read from their metadata,
never by importing them), the plugins ``addopts`` blocks, and which plugin runs an async test in
which loop."""

from __future__ import annotations

import re
from typing import Optional

from fixlint.pytest_model.config import PytestConfig
from fixlint.pytest_model.environment import PythonEnvironment, distributions, normalized
from fixlint.pytest_model.project import TestItem
from fixlint.pytest_model.scope import Scope

Version = tuple[int, ...]

# The names ``-p no:<name>`` blocks each plugin by: its entry point, its module.
ASYNCIO_PLUGIN = ("asyncio", "pytest_asyncio", "pytest_asyncio.plugin")
ANYIO_PLUGIN = ("anyio", "anyio.pytest_plugin")
_RELEASE = re.compile(r"\d+(?:\.\d+)*")


def parse_version(text: str) -> Optional[Version]:
    """The release numbers of a version (``"0.21.2"`` -> ``(0, 21, 2)``; ``"1.0.0a1"`` -> ``(1, 0, 0)``)."""
    found = _RELEASE.match(text.strip())
    return tuple(int(part) for part in found.group().split(".")) if found else None


def installed_version(environment: PythonEnvironment, distribution: str) -> Optional[Version]:
    """The version of ``distribution`` installed in the environment; None when it is not installed."""
    version = dict(distributions(environment)).get(normalized(distribution))
    return parse_version(version) if version is not None else None


def is_disabled(config: PytestConfig, names: tuple[str, ...]) -> bool:
    return any(name in config.disabled_plugins for name in names)


def test_loop_scope(test: TestItem) -> Optional[Scope]:
    """The loop pytest-asyncio runs a test in: the ``loop_scope`` of its closest asyncio mark (a
    mark without one counts as none), else ``asyncio_default_test_loop_scope``, else function.
    None when the mark's loop scope is not a literal."""
    for marks in test.marks():
        if marks.asyncio is not None:
            value = marks.asyncio.loop_scope
            if value is not None:
                return Scope.parse(value.literal) if value.literal else None
            break
    default = test.config.asyncio_default_test_loop_scope
    return Scope.parse(default) if default else Scope.FUNCTION


def run_by_asyncio(test: TestItem) -> bool:
    """pytest-asyncio runs an ``async def`` test that an asyncio mark reaches, or any in auto mode."""
    if not test.function.is_async or is_disabled(test.config, ASYNCIO_PLUGIN):
        return False
    return test.config.asyncio_mode == "auto" or any(marks.asyncio is not None for marks in test.marks())


def run_by_anyio(test: TestItem) -> bool:
    """anyio's plugin runs a test (and the async fixtures it sets up) that requests
    ``anyio_backend``, or an ``async def`` test that an anyio mark reaches."""
    if is_disabled(test.config, ANYIO_PLUGIN):
        return False
    if "anyio_backend" in test.function.argnames:
        return True
    return test.function.is_async and any("anyio" in marks.names for marks in test.marks())
