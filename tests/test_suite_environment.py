"""The suite's Python environment when fixlint runs outside it (pre-commit, pipx, a tools venv):
named by the `python` setting (a venv folder, an interpreter) or `--config python=...`, else
`VIRTUAL_ENV`, else the project's `.venv` or `venv`, else fixlint's own. Each test builds a real
venv (`python -m venv --without-pip`) and installs into its site-packages as pip would lay it
out: a plugin with its `pytest11` entry point, a distribution's `dist-info`. fixlint runs in a
subprocess of its own environment, which has neither."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

from tests.test_environment import EVENT_LOOP_TEST, PLUGIN, PLUGIN_MORE, write

TESTS = "import tinyplug\n\n\ndef test_settings(settings):\n    assert settings\n"


def make_venv(folder: Path) -> Path:
    """A real venv; its site-packages folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    return next((folder / "lib").glob("python*/site-packages"))


def install_plugin(site: Path) -> None:
    write(
        site,
        {
            "tinyplug/__init__.py": "",
            "tinyplug/plugin.py": PLUGIN,
            "tinyplug/more.py": PLUGIN_MORE.format(scope="module"),
            "tinyplug-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tinyplug\nVersion: 1.0\n",
            "tinyplug-1.0.dist-info/entry_points.txt": "[pytest11]\ntinyplug = tinyplug.plugin\n",
        },
    )


def run(tree: Path, *args: str, virtual_env: Optional[Path] = None, cache: Optional[Path] = None):
    environment = dict(os.environ)
    if virtual_env is not None:
        environment["VIRTUAL_ENV"] = str(virtual_env)
    cached = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    return subprocess.run(
        [sys.executable, "-m", "fixlint", "check", *cached, *args],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rules_found(tree: Path, *args: str, **kwargs) -> dict[str, list[str]]:
    completed = run(tree, "--rule", "fixture-not-found,import-unresolved", "--format", "json", *args, ".", **kwargs)
    assert completed.returncode in (0, 1), completed.stderr
    found: dict[str, list[str]] = {}
    for finding in json.loads(completed.stdout):
        found.setdefault(finding["rule"], []).append(finding["message"])
    return found


def environment_line(tree: Path, *args: str, **kwargs) -> str:
    completed = run(tree, "--show-settings", *args, ".", **kwargs)
    assert completed.returncode == 0, completed.stderr
    return next(line for line in completed.stdout.splitlines() if line.startswith("  python environment: "))


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A suite whose test uses a plugin's fixture and imports the plugin's package; its
    environment, with the plugin installed, is `envs/suite` (outside the project)."""
    install_plugin(make_venv(tmp_path / "envs" / "suite"))
    tree = tmp_path / "project"
    write(tree, {"pytest.ini": "[pytest]\n", "tests/test_plugin.py": TESTS})
    return tree


def test_outside_the_suites_environment_its_plugins_are_not_known(suite: Path) -> None:
    found = rules_found(suite)
    assert ["requests `settings`, which no fixture it sees provides" in m for m in found["fixture-not-found"]] == [True]
    assert "import-unresolved" not in found, "fixlint's own environment is not the suite's: imports are left alone"
    assert "the environment fixlint runs in); third-party imports not judged" in environment_line(suite)


@pytest.mark.parametrize("how", ["pyproject.toml", "--config", "interpreter", "VIRTUAL_ENV", ".venv", "venv"])
def test_the_suites_environment_named_or_found_gives_its_plugins(suite: Path, how: str) -> None:
    envs = suite.parent / "envs"
    args: list[str] = []
    virtual_env = None
    if how == "pyproject.toml":  # relative to the settings file's folder
        (suite / "pyproject.toml").write_text('[tool.fixlint]\npython = "../envs/suite"\n')
    elif how == "--config":
        args = ["--config", f"python = {json.dumps(str(envs / 'suite'))}"]
    elif how == "interpreter":
        args = ["--config", f"python = {json.dumps(str(envs / 'suite' / 'bin' / 'python'))}"]
    elif how == "VIRTUAL_ENV":
        virtual_env = envs / "suite"
    else:
        (envs / "suite").rename(suite / how)
    assert rules_found(suite, *args, virtual_env=virtual_env) == {}
    expected = {
        "pyproject.toml": "../envs/suite (`python` in ",
        "--config": "../envs/suite (`python` from --config)",
        "interpreter": "../envs/suite (`python` from --config)",
        "VIRTUAL_ENV": "../envs/suite (VIRTUAL_ENV)",
        ".venv": ".venv (the project's `.venv`)",
        "venv": "venv (the project's `venv`)",
    }[how]
    line = environment_line(suite, *args, virtual_env=virtual_env)
    assert line.startswith(f"  python environment: {expected}") and line.endswith(
        "third-party imports judged against it"
    )


def test_a_module_the_suites_environment_lacks_is_reported_there(suite: Path) -> None:
    (suite / "tests" / "test_plugin.py").write_text("import tinyplug_extras\n\n" + TESTS)
    found = rules_found(suite, virtual_env=suite.parent / "envs" / "suite")
    assert found == {
        "import-unresolved": [
            "`import tinyplug_extras`: `tinyplug_extras` is not installed in ../envs/suite (VIRTUAL_ENV)"
        ]
    }


@pytest.mark.parametrize("where", ["pyproject.toml", "--config"])
def test_a_named_environment_that_is_not_there_is_an_error_naming_the_setting(suite: Path, where: str) -> None:
    if where == "pyproject.toml":
        (suite / "pyproject.toml").write_text('[tool.fixlint]\npython = "../envs/gone"\n')
        completed = run(suite, ".")
    else:
        completed = run(suite, "--config", 'python = "/nonexistent/venv"', ".")
    assert completed.returncode == 2 and completed.stdout == ""
    named = 'pyproject.toml: `python = "../envs/gone"`' if where == "pyproject.toml" else "--config: `python = "
    assert named in completed.stderr and "no Python environment or interpreter at" in completed.stderr


def test_the_pytest_asyncio_of_the_suites_environment_is_the_one_judged(tmp_path: Path) -> None:
    """pytest-asyncio 0.21 in the suite's venv (not where fixlint runs) needs the `event_loop` override."""
    tree = tmp_path / "project"
    write(tree, {"pytest.ini": "[pytest]\n", "test_loop.py": EVENT_LOOP_TEST})
    site = make_venv(tree / ".venv")

    def installed(version: str) -> list[dict]:
        for old in site.glob("pytest_asyncio-*.dist-info"):
            (old / "METADATA").unlink()
            old.rmdir()
        metadata = f"Metadata-Version: 2.1\nName: pytest-asyncio\nVersion: {version}\n"
        write(site, {f"pytest_asyncio-{version}.dist-info/METADATA": metadata})
        completed = run(tree, "--rule", "fixture-loop-scope", "--format", "json", "--exit-zero", ".")
        return json.loads(completed.stdout)

    assert [finding["data"]["kind"] for finding in installed("1.1.0")] == ["event-loop-fixture"]
    assert installed("0.21.2") == []


def test_a_warm_run_after_an_install_in_the_suites_environment_is_the_cold_run(suite: Path, tmp_path: Path) -> None:
    (suite / "tests" / "test_plugin.py").write_text("import tinyplug_extras\n\n" + TESTS)
    cache, virtual_env = tmp_path / "cache", suite.parent / "envs" / "suite"
    assert "import-unresolved" in rules_found(suite, virtual_env=virtual_env, cache=cache)
    site = next((virtual_env / "lib").glob("python*/site-packages"))
    write(site, {"tinyplug_extras.py": "", "tinyplug_extras-0.1.dist-info/METADATA": "Name: tinyplug-extras\n"})
    assert rules_found(suite, virtual_env=virtual_env, cache=cache) == rules_found(suite, virtual_env=virtual_env) == {}


def test_an_interpreter_outside_a_venv_is_asked_for_its_path(suite: Path) -> None:
    """A system Python's ``sys.prefix`` (no ``pyvenv.cfg`` says where its site-packages are):
    its interpreter says, once. Its standard library is importable; the plugin is not installed."""
    (suite / "tests" / "test_plugin.py").write_text("import json\n\n" + TESTS)
    args = ["--config", f"python = {json.dumps(sys.base_prefix)}"]
    found = rules_found(suite, *args)
    assert found["import-unresolved"] == [
        f"`import tinyplug`: `tinyplug` is not installed in {os.path.relpath(sys.base_prefix, suite)} "
        "(`python` from --config)"
    ]
