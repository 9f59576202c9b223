"""The project as pytest sees it, in the environment it runs in: the plugins installed there
(``pytest11`` entry points, read without importing them), its own src-layout package installed
there, its requirement files; and the run cache, whose answers must change when any of them does.

Each environment is a site folder of this test's own on ``PYTHONPATH``: a real plugin package with
its ``dist-info`` (pytest loads it as it loads any installed plugin); a src folder on the path
stands for an editable install. fixlint and pytest run in subprocesses that see it; pytest is the oracle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

PLUGIN = """\
import pytest

from tinyplug.more import *  # noqa: F403


@pytest.fixture
def settings():
    return {"debug": False}


@pytest.fixture(scope="session")
def shared_settings():
    return {}
"""
PLUGIN_MORE = """\
import pytest


@pytest.fixture(scope="{scope}")
def module_thing():
    return 1
"""
CONFTEST = """\
import pytest


@pytest.fixture(scope="session")
def configured(settings):
    return settings


@pytest.fixture(scope="session")
def shared(shared_settings, module_thing):
    return shared_settings
"""
TESTS = """\
def test_configured(configured):
    pass


def test_shared(shared):
    pass


def test_settings(settings):
    assert settings == {"debug": False}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def install_plugin(site: Path, version: str = "1.0", more_scope: str = "module") -> None:
    """``tinyplug``, registered as pytest registers an installed plugin: a ``pytest11`` entry point."""
    write(
        site,
        {
            "tinyplug/__init__.py": "",
            "tinyplug/plugin.py": PLUGIN,
            "tinyplug/more.py": PLUGIN_MORE.format(scope=more_scope),
            f"tinyplug-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: tinyplug\nVersion: {version}\n",
            f"tinyplug-{version}.dist-info/entry_points.txt": "[pytest11]\ntinyplug = tinyplug.plugin\n",
        },
    )


def environment(site: Path, cache: Optional[Path] = None, editable: Sequence[Path] = ()) -> dict[str, str]:
    """``editable``: src folders installed in editable mode, on the path as such an install puts them."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), *map(str, editable), env.get("PYTHONPATH")]))
    if cache is not None:
        env["FIXLINT_CACHE_DIR"] = str(cache)
    return env


def fixlint(tree: Path, site: Path, *args: str, cache: Optional[Path] = None) -> list[dict]:
    cached = [] if cache is not None else ["--no-cache"]
    completed = subprocess.run(
        [sys.executable, "-m", "fixlint", "check", *cached, "--format", "json", "--exit-zero", *args, "."],
        cwd=tree,
        env=environment(site, cache),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def pytest_output(tree: Path, site: Path, editable: Sequence[Path] = ()) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rE", "-q"],
        cwd=tree,
        env=environment(site, editable=editable),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return completed.stdout + completed.stderr


def mismatched_tests(findings: list[dict]) -> set[str]:
    return {test for f in findings if f["rule"] == "fixture-scope-mismatch" for test in _tests_of(f["message"])}


def _tests_of(message: str) -> list[str]:
    return [test.strip() for test in message.rpartition("ScopeMismatch in ")[2].replace(" and ", ", ").split(",")]


def pytest_mismatched(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith("ERROR ") and "ScopeMismatch" in line}


def make_tree(root: Path, ini: str = "[pytest]\n") -> Path:
    write(root, {"pytest.ini": ini, "conftest.py": CONFTEST, "test_plugin.py": TESTS})
    return root


def test_an_installed_plugins_fixtures_are_read_with_their_scopes(tmp_path: Path) -> None:
    """A session fixture requesting a plugin's function or module fixture is a ScopeMismatch
    pytest raises; fixlint reports exactly those tests, naming the plugin's module."""
    site = tmp_path / "site"
    install_plugin(site)
    tree = make_tree(tmp_path / "tree")
    findings = fixlint(tree, site, "--rule", "fixture-scope-mismatch,fixture-not-found")
    output = pytest_output(tree, site)
    assert pytest_mismatched(output) == {"test_plugin.py::test_configured", "test_plugin.py::test_shared"}, output
    assert mismatched_tests(findings) == pytest_mismatched(output)
    messages = sorted(f["message"] for f in findings)
    assert "provided by the plugin `tinyplug.plugin`" in messages[0]
    assert "provided by the plugin `tinyplug.more`" in messages[1]


def test_a_plugin_addopts_disables_is_not_seen(tmp_path: Path) -> None:
    """``-p no:tinyplug``: pytest does not find its fixtures, and neither does fixlint."""
    site = tmp_path / "site"
    install_plugin(site)
    tree = make_tree(tmp_path / "tree", "[pytest]\naddopts = -p no:tinyplug\n")
    findings = fixlint(tree, site, "--rule", "fixture-scope-mismatch,fixture-not-found")
    output = pytest_output(tree, site)
    assert "fixture 'settings' not found" in output and "ScopeMismatch" not in output, output
    assert {f["rule"] for f in findings} == {"fixture-not-found"}
    assert {f["data"]["requested"] for f in findings} == {"settings", "shared_settings", "module_thing"}


SRC_FIXTURES = """\
import pytest


@pytest.fixture
def shop_client():
    return "client"
"""


def test_a_src_layout_package_installed_editable_is_followed(tmp_path: Path) -> None:
    """``pytest_plugins = ["shop.testing.fixtures"]`` with ``shop`` in ``src/``, installed editable
    (its src folder on the path): its fixtures are seen, for the scope rules and for fixture-not-found."""
    site = tmp_path / "site"
    tree = tmp_path / "tree"
    write(
        tree,
        {
            "pyproject.toml": '[project]\nname = "shop"\nversion = "1.0"\n\n[tool.pytest.ini_options]\n',
            "src/shop/__init__.py": "",
            "src/shop/testing/__init__.py": "",
            "src/shop/testing/fixtures.py": SRC_FIXTURES,
            "conftest.py": (
                'import pytest\n\npytest_plugins = ["shop.testing.fixtures"]\n\n\n'
                '@pytest.fixture(scope="session")\ndef app(shop_client):\n    return shop_client\n'
            ),
            "tests/test_shop.py": "def test_app(app):\n    pass\n\n\ndef test_client(shop_client):\n    pass\n",
        },
    )
    site.mkdir()
    # fixlint reads the src layout from the tree; the package is not installed where it runs.
    findings = fixlint(tree, site, "--rule", "fixture-scope-mismatch,fixture-not-found")
    output = pytest_output(tree, site, editable=[tree / "src"])
    assert pytest_mismatched(output) == {"tests/test_shop.py::test_app"}, output
    assert mismatched_tests(findings) == pytest_mismatched(output)
    assert "1 passed" in output and not [f for f in findings if f["rule"] == "fixture-not-found"]


RE_EXPORTING_PLUGIN = """\
from nsplug.fixtures import first_thing
from nsplug.fixtures import second_thing
from nsplug.portion.deep import deep_thing
"""
FIXTURE = """

@pytest.fixture
def {}():
    return 1
"""
THING = "import pytest\n" + FIXTURE


def test_a_plugin_re_exporting_fixtures_one_import_each_and_from_a_namespace_folder(tmp_path: Path) -> None:
    """A plugin module that imports its fixtures one ``from`` line each from one module, and one
    from a folder without ``__init__.py`` inside its package (a namespace portion): pytest sees
    all three, and so does fixlint (it read only the first of the lines, and finding the
    namespace portion raised inside the import system)."""
    site = tmp_path / "site"
    write(
        site,
        {
            "nsplug/__init__.py": "",
            "nsplug/plugin.py": RE_EXPORTING_PLUGIN,
            "nsplug/fixtures.py": THING.format("first_thing") + FIXTURE.format("second_thing"),
            "nsplug/portion/deep.py": THING.format("deep_thing"),
            "nsplug-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: nsplug\nVersion: 1.0\n",
            "nsplug-1.0.dist-info/entry_points.txt": "[pytest11]\nnsplug = nsplug.plugin\n",
        },
    )
    tree = tmp_path / "tree"
    tests = "def test_one(first_thing, second_thing, deep_thing):\n    pass\n\n\ndef test_two(third_thing):\n    pass\n"
    write(tree, {"pytest.ini": "[pytest]\n", "test_things.py": tests})
    output = pytest_output(tree, site)
    assert "1 passed, 1 error" in output and "fixture 'third_thing' not found" in output, output
    findings = fixlint(tree, site, "--rule", "fixture-not-found")
    assert [f["data"]["requested"] for f in findings] == ["third_thing"]


def test_a_warm_run_after_a_plugin_upgrade_is_the_cold_run(tmp_path: Path) -> None:
    site = tmp_path / "site"
    cache = tmp_path / "cache"
    install_plugin(site)
    tree = make_tree(tmp_path / "tree")
    assert fixlint(tree, site, cache=cache) == fixlint(tree, site)
    assert mismatched_tests(fixlint(tree, site, cache=cache)) == {
        "test_plugin.py::test_configured",
        "test_plugin.py::test_shared",
    }
    # 2.0 makes ``module_thing`` a session fixture: ``shared`` may request it.
    (site / "tinyplug-1.0.dist-info").rename(site / "tinyplug-2.0.dist-info")
    install_plugin(site, version="2.0", more_scope="session")
    warm = fixlint(tree, site, cache=cache)
    assert warm == fixlint(tree, site)
    assert mismatched_tests(warm) == {"test_plugin.py::test_configured"}
    assert mismatched_tests(warm) == pytest_mismatched(pytest_output(tree, site))


EVENT_LOOP_TEST = """\
import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_sleep():
    await asyncio.sleep(0)
"""


def test_a_warm_run_after_a_pytest_asyncio_change_is_the_cold_run(tmp_path: Path) -> None:
    """pytest-asyncio 1.x ignores an ``event_loop`` fixture, 0.21 needs it: the version installed
    is part of what a cached run rests on."""
    site = tmp_path / "site"
    site.mkdir()
    cache = tmp_path / "cache"
    tree = tmp_path / "tree"
    write(tree, {"pytest.ini": "[pytest]\n", "test_loop.py": EVENT_LOOP_TEST})
    first = fixlint(tree, site, "--rule", "fixture-loop-scope", cache=cache)
    assert [f["data"]["kind"] for f in first] == ["event-loop-fixture"]
    # The environment now holds pytest-asyncio 0.21 (its metadata comes first on the path).
    write(
        site,
        {
            "pytest_asyncio-0.21.2.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: pytest-asyncio\nVersion: 0.21.2\n"
            ),
            "pytest_asyncio-0.21.2.dist-info/entry_points.txt": "[pytest11]\nasyncio = pytest_asyncio.plugin\n",
        },
    )
    warm = fixlint(tree, site, "--rule", "fixture-loop-scope", cache=cache)
    assert warm == fixlint(tree, site, "--rule", "fixture-loop-scope") == []


def test_a_warm_run_after_a_requirements_change_is_the_cold_run(tmp_path: Path) -> None:
    """A plugin the project requires but that is not installed here (``respx``, not named
    ``pytest-*``) may provide what fixlint cannot see: fixture-not-found is quiet until the
    requirement goes, and the run cache must notice that it went."""
    site = tmp_path / "site"
    site.mkdir()
    cache = tmp_path / "cache"
    tree = tmp_path / "tree"
    write(
        tree,
        {
            "pytest.ini": "[pytest]\n",
            "requirements/test.txt": "httpx>=0.27\nrespx>=0.21\n",
            "test_api.py": "def test_api(respx_mock):\n    assert respx_mock\n",
        },
    )
    assert fixlint(tree, site, "--rule", "fixture-not-found", cache=cache) == []
    (tree / "requirements" / "test.txt").write_text("httpx>=0.27\n")
    warm = fixlint(tree, site, "--rule", "fixture-not-found", cache=cache)
    assert warm == fixlint(tree, site, "--rule", "fixture-not-found")
    assert [f["data"]["requested"] for f in warm] == ["respx_mock"]
    # A requirements file that appears is noticed too.
    (tree / "requirements-dev.txt").write_text("respx\n")
    assert fixlint(tree, site, "--rule", "fixture-not-found", cache=cache) == []
