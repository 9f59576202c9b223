"""Where pytest's settings come from for each folder.

Mirrors ``_pytest/config/findpaths.py`` (pytest 9): the first configuration file found walking
up from a folder governs it, its folder is the rootdir.
"""

from __future__ import annotations

import configparser
import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from fixlint.files import fs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

# In precedence order within one folder, as pytest's CONFIG_LOADERS_BY_NAME.
CONFIG_NAMES = ("pytest.toml", ".pytest.toml", "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")


@dataclass(frozen=True)
class PytestConfig:
    inifile: Optional[Path]
    rootdir: Path
    python_files: tuple[str, ...] = ("test_*.py", "*_test.py")
    python_classes: tuple[str, ...] = ("Test",)
    python_functions: tuple[str, ...] = ("test",)
    testpaths: tuple[str, ...] = ()
    usefixtures: tuple[str, ...] = ()
    pythonpath: tuple[Path, ...] = ()
    asyncio_mode: str = "strict"
    asyncio_default_fixture_loop_scope: Optional[str] = None
    asyncio_default_test_loop_scope: Optional[str] = None
    # Plugins ``addopts`` blocks (``-p no:asyncio``) or loads (``-p anyio``), by their entry-point names.
    disabled_plugins: tuple[str, ...] = ()
    enabled_plugins: tuple[str, ...] = ()
    error: Optional[str] = None  # "<file>: <problem>" for a configuration pytest would reject
    # The project's ``src`` folder (a src layout), where its packages are installed from.
    source_roots: tuple[Path, ...] = ()


class ConfigFileError(Exception):
    pass


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(fs.read_text(path))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigFileError(f"{path}: not valid TOML: {error}") from None


def project_table(folder: Path) -> Optional[dict[str, Any]]:
    """The ``[project]`` table of the folder's ``pyproject.toml``; None when it has none, or the
    file is missing or not TOML."""
    pyproject = folder / "pyproject.toml"
    if not fs.is_file(pyproject):
        return None
    try:
        project = _read_toml(pyproject).get("project")
    except (ConfigFileError, OSError):
        return None
    return project if isinstance(project, dict) else None


def _read_ini(path: Path, section: str) -> Optional[dict[str, Any]]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(fs.read_text(path), source=str(path))
    except (configparser.Error, UnicodeDecodeError) as error:
        raise ConfigFileError(f"{path}: cannot parse: {error}".replace("\n", " ")) from None
    return dict(parser[section]) if parser.has_section(section) else None


# The options fixlint reads, by the type pytest (and pytest-asyncio) declares for them.
LIST_OPTIONS = ("python_files", "python_classes", "python_functions", "testpaths", "usefixtures", "pythonpath")
STRING_OPTIONS = ("asyncio_mode", "asyncio_default_fixture_loop_scope", "asyncio_default_test_loop_scope")


def _check_native_types(path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """Native TOML settings are typed: pytest rejects a string where it expects a list, and so on."""
    for key, value in values.items():
        if key in LIST_OPTIONS and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise ConfigFileError(f"{path}: config option '{key}' expects a list of strings, got {value!r}")
        if key in STRING_OPTIONS and not isinstance(value, str):
            raise ConfigFileError(f"{path}: config option '{key}' expects a string, got {value!r}")
    return values


def load_config_file(path: Path) -> Optional[dict[str, Any]]:
    """The pytest settings in a file, or None when the file holds none (it is then not a config)."""
    name = path.name
    if name in ("pytest.toml", ".pytest.toml"):
        return _check_native_types(path, dict(_read_toml(path).get("pytest", {})))
    if name in ("pytest.ini", ".pytest.ini"):
        return _read_ini(path, "pytest") or {}
    if name == "pyproject.toml":
        tool_pytest = _read_toml(path).get("tool", {}).get("pytest")
        if tool_pytest is None:
            return None
        native = {key: value for key, value in tool_pytest.items() if key != "ini_options"}
        if native and "ini_options" in tool_pytest:
            raise ConfigFileError(f"{path}: cannot use both [tool.pytest] and [tool.pytest.ini_options]")
        return _check_native_types(path, native) if native else dict(tool_pytest.get("ini_options") or {})
    if name == "tox.ini":
        return _read_ini(path, "pytest")
    if name == "setup.cfg":
        return _read_ini(path, "tool:pytest")
    return None


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return tuple(shlex.split(str(value)))


@dataclass(frozen=True)
class Addopts:
    """What ``addopts`` says that fixlint's model needs: command-line options override the ini."""

    asyncio_mode: Optional[str] = None
    disabled_plugins: tuple[str, ...] = ()
    enabled_plugins: tuple[str, ...] = ()


def read_addopts(arguments: Sequence[str]) -> Addopts:
    """``--asyncio-mode=auto`` (or ``--asyncio-mode auto``), ``-p no:asyncio``, ``-p anyio``
    (or ``-pno:asyncio``); the last ``--asyncio-mode`` wins, as with argparse."""
    mode: Optional[str] = None
    disabled: list[str] = []
    enabled: list[str] = []
    items = iter(arguments)
    for argument in items:
        if argument == "--asyncio-mode":
            mode = next(items, mode)
        elif argument.startswith("--asyncio-mode="):
            mode = argument.partition("=")[2]
        elif argument == "-p" or (argument.startswith("-p") and not argument.startswith("--")):
            plugin = next(items, "") if argument == "-p" else argument[2:]
            if plugin.startswith("no:"):
                disabled.append(plugin[3:])
            elif plugin:
                enabled.append(plugin)
    return Addopts(mode.strip() if mode else None, tuple(disabled), tuple(enabled))


def config_from_values(
    inifile: Optional[Path], rootdir: Path, values: dict[str, Any], error: Optional[str] = None
) -> PytestConfig:
    defaults = PytestConfig(inifile, rootdir)

    def listed(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        return _as_list(values[key]) if key in values else default

    loop_scope = values.get("asyncio_default_fixture_loop_scope")
    test_loop_scope = values.get("asyncio_default_test_loop_scope")
    addopts = read_addopts(_as_list(values.get("addopts")))
    asyncio_mode = addopts.asyncio_mode or str(values.get("asyncio_mode", "strict")).strip() or "strict"
    return PytestConfig(
        inifile=inifile,
        rootdir=rootdir,
        python_files=listed("python_files", defaults.python_files),
        python_classes=listed("python_classes", defaults.python_classes),
        python_functions=listed("python_functions", defaults.python_functions),
        testpaths=listed("testpaths", ()),
        usefixtures=listed("usefixtures", ()),
        # normalised: a module found through `pythonpath = ..` is the file the tree walk reads
        pythonpath=tuple(Path(os.path.normpath(rootdir / entry)) for entry in listed("pythonpath", ())),
        asyncio_mode=asyncio_mode,
        asyncio_default_fixture_loop_scope=str(loop_scope).strip() if loop_scope else None,
        asyncio_default_test_loop_scope=str(test_loop_scope).strip() if test_loop_scope else None,
        disabled_plugins=addopts.disabled_plugins,
        enabled_plugins=addopts.enabled_plugins,
        error=error,
        source_roots=source_roots(rootdir),
    )


# What marks the folder of a project, whose ``src`` folder holds the packages it installs.
PROJECT_FILES = ("pyproject.toml", "setup.py", "setup.cfg")
# How far above the rootdir the project's folder may stand (a suite's pytest.ini in tests/).
PROJECT_LEVELS = 3


def source_roots(rootdir: Path) -> tuple[Path, ...]:
    """The ``src`` folder of the project the rootdir is in: its packages are importable where
    the suite runs (installed, often editable), as pytest's own import modes do not make them."""
    folder = rootdir
    for _ in range(PROJECT_LEVELS + 1):
        if any(fs.is_file(folder / name) for name in PROJECT_FILES):
            return (folder / "src",) if fs.is_dir(folder / "src") else ()
        if fs.exists(folder / ".git") or folder.parent == folder:
            return ()
        folder = folder.parent
    return ()


@dataclass
class ConfigFinder:
    """The governing configuration of each folder, cached: a large tree reads each file once."""

    fallback_rootdir: Path
    _by_dir: dict[Path, PytestConfig] = field(default_factory=dict)
    # The config each file read makes (None: the file holds no pytest settings), for the folders below.
    _by_file: dict[Path, Optional[PytestConfig]] = field(default_factory=dict)

    def governing(self, directory: Path) -> PytestConfig:
        if directory in self._by_dir:
            return self._by_dir[directory]
        config = self._locate(directory)
        self._by_dir[directory] = config
        return config

    def _locate(self, directory: Path) -> PytestConfig:
        first_pyproject: Optional[Path] = None
        for base in (directory, *directory.parents):
            for index, name in enumerate(CONFIG_NAMES):
                path = base / name
                if not fs.is_file(path):
                    continue
                if name == "pyproject.toml" and first_pyproject is None:
                    first_pyproject = path
                if path not in self._by_file:
                    self._by_file[path] = _config_of_file(path, base, CONFIG_NAMES[index + 1 :])
                config = self._by_file[path]
                if config is not None:
                    return config
        if first_pyproject is not None:
            return config_from_values(first_pyproject, first_pyproject.parent, {})
        for base in (directory, *directory.parents):
            if fs.is_file(base / "setup.py"):
                return config_from_values(None, base, {})
        root = self.fallback_rootdir if _is_relative_to(directory, self.fallback_rootdir) else directory
        return config_from_values(None, root, {})


def _config_of_file(path: Path, base: Path, later_names: Sequence[str]) -> Optional[PytestConfig]:
    """The config a file makes for the folders it governs; None when it holds no pytest settings."""
    try:
        values = load_config_file(path)
    except ConfigFileError as error:
        return config_from_values(path, base, {}, str(error))
    except OSError as error:
        return config_from_values(path, base, {}, f"{path}: cannot read: {error.strerror or error}")
    if values is None:
        return None
    return config_from_values(path, base, values, _ignored_config_error(base, later_names))


def _ignored_config_error(base: Path, names: Sequence[str]) -> Optional[str]:
    """pytest reads the folder's other config files too, to name those it ignores: one it cannot
    read stops it as well. The settings of the governing file still describe the suite."""
    for name in names:
        path = base / name
        try:
            if fs.is_file(path):
                load_config_file(path)
        except ConfigFileError as error:
            return str(error)
        except OSError as error:
            return f"{path}: cannot read: {error.strerror or error}"
    return None


def _is_relative_to(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
        return True
    except ValueError:
        return False
