"""fixlint's own settings: each folder's are those of the nearest ``fixlint.toml`` or
``pyproject.toml`` with ``[tool.fixlint]`` above it (as ruff finds its own), or of ``--config
FILE`` for every folder; ``--config KEY=VALUE`` sets one key over them."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

from fixlint.errors import ConfigError
from fixlint.files import fs
from fixlint.pytest_model.environment import PythonEnvironment, find_environment
from fixlint.rules.registry import FAMILIES, RULES, family_options

TOP_LEVEL_KEYS = {"select", "extend-select", "ignore", "exclude", "per-file-ignores", "baseline", "python"}


@dataclass
class Settings:
    project_root: Path
    config_file: Optional[Path] = None
    select: list[str] = field(default_factory=list)  # empty: the rules on by default
    extend_select: list[str] = field(default_factory=list)  # selected beside ``select`` (a rule off by default)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # family -> option -> value
    baseline: Optional[Path] = None  # the findings file `check` leaves out (``baseline = "path"``)
    # The suite's Python environment (a venv folder, a sys.prefix folder or an interpreter), as
    # ty's ``environment.python``: relative to the settings file's folder, or from --config to the
    # working folder. None: found (``fixlint.pytest_model.environment.find_environment``).
    python: Optional[str] = None
    # Where each key set came from (`select`, `fixture-scope.fix-to`): the file, or "--config".
    origins: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def cache_root(self) -> Path:
        """Where the cache goes: the project's folder, not the folder checked (as ruff does)."""
        return self.project_folder

    @property
    def project_folder(self) -> Path:
        """The folder of the fixlint settings, else the nearest folder above the first path with a
        project file or a repository: where the cache goes and a project's ``.venv`` is looked for."""
        if self.config_file is not None:
            return self.project_root
        folder = self.project_root if self.project_root.is_dir() else self.project_root.parent
        for directory in (folder, *folder.parents):
            if any((directory / marker).exists() for marker in PROJECT_MARKERS):
                return directory
        return folder

    def environment(self, cwd: Path) -> PythonEnvironment:
        """The suite's Python environment: the ``python`` setting's, else the one found."""
        where = self.origins.get("python", "--config")
        base = cwd if where == "--config" else self.project_root
        return find_environment(self.python, where, base, self.project_folder)

    def selected_rules(
        self, cli_select: tuple[str, ...] = (), cli_ignore: tuple[str, ...] = (), cli_extend: tuple[str, ...] = ()
    ) -> list[str]:
        """As ruff selects: ``--rule`` replaces the config's selection (its ``extend-select`` too),
        ``--extend-select`` adds to whichever holds, ``ignore`` and ``--ignore`` take away."""
        chosen = expand_rule_names(cli_select or tuple(self.select), "--select" if cli_select else "select")
        if not chosen:
            chosen = [name for name, rule in RULES.items() if rule.default_enabled]
        if not cli_select:
            chosen += expand_rule_names(tuple(self.extend_select), "extend-select")
        chosen = list(dict.fromkeys(chosen + expand_rule_names(cli_extend, "--extend-select")))
        dropped = set(expand_rule_names(tuple(self.ignore), "ignore")) | set(expand_rule_names(cli_ignore, "--ignore"))
        return [name for name in chosen if name not in dropped]


def expand_rule_names(names: tuple[str, ...], where: str) -> list[str]:
    """Rule names, family names and name prefixes (comma lists allowed) -> rule names; an unknown
    name raises ConfigError with the nearest known one."""
    result: list[str] = []
    for entry in names:
        for name in (part.strip() for part in entry.split(",")):
            if not name:
                continue
            if name == "ALL":
                result.extend(RULES)
            elif name in FAMILIES:
                result.extend(FAMILIES[name])
            elif name in RULES:
                result.append(name)
            elif _prefixed(name):
                result.extend(_prefixed(name))
            else:
                raise ConfigError(f"{where}: unknown rule or family `{name}`{_nearest(name)} (see `fixlint rules`)")
    return list(dict.fromkeys(result))


def _prefixed(prefix: str) -> list[str]:
    """The rules whose names start with ``prefix`` up to a dash (``fixture`` or ``fixture-``:
    every ``fixture-*`` rule); a prefix cut inside a word (``fixture-sc``) names nothing."""
    stem = prefix.rstrip("-")
    return [name for name in RULES if name.startswith(stem + "-")] if stem else []


def _nearest(name: str) -> str:
    near = difflib.get_close_matches(name, [*RULES, *FAMILIES], n=1, cutoff=0.6)
    return f"; did you mean `{near[0]}`?" if near else ""


CONFIG_FILE = "fixlint.toml"  # before pyproject.toml in one folder, as ruff.toml is


def find_config_file(start: Path) -> Optional[Path]:
    """The nearest ``fixlint.toml``, or ``pyproject.toml`` with a ``[tool.fixlint]`` table, at or above ``start``."""
    for directory in (start, *start.parents):
        found = config_file_in(directory)
        if found is not None:
            return found
    return None


def config_file_in(directory: Path) -> Optional[Path]:
    """The folder's ``fixlint.toml``, else its ``pyproject.toml`` if it has a ``[tool.fixlint]`` table."""
    if fs.is_file(directory / CONFIG_FILE):
        return directory / CONFIG_FILE
    candidate = directory / "pyproject.toml"
    if not fs.is_file(candidate):
        return None
    try:
        text = fs.read_text(candidate)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        if "[tool.fixlint" in text:  # fixlint's own settings are broken: never run without them
            raise ConfigError(f"{candidate}: not valid TOML: {error}") from None
        return None  # pytest's side reports a broken pyproject.toml; here it only holds no settings
    except (UnicodeDecodeError, OSError):
        return None
    return candidate if "fixlint" in data.get("tool", {}) else None


# What marks a project's root folder when it has no fixlint settings (the cache goes there).
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", ".git", ".hg")


def load_settings(start: Path, explicit: Optional[Path] = None, overrides: Sequence[str] = ()) -> Settings:
    path = explicit or find_config_file(start)
    table = _table(path) if path is not None else {}
    origins = {key: str(path) for key in _keys(table)}
    for override in overrides:
        values = parse_override(override)
        table = _merged(table, values)
        origins.update({key: "--config" for key in _keys(values)})
    settings = settings_from_table(table, path, root=start)
    settings.origins = origins
    return settings


def _table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(fs.read_text(path))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    table = data.get("tool", {}).get("fixlint", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in data:
        table = data["tool"].get("fixlint", table)
    return table


def parse_override(text: str) -> dict[str, Any]:
    """``--config KEY=VALUE``: one line of TOML, as ruff takes it (``select = ["fixture-scope"]``,
    ``fixture-scope.fix-to = "narrowest"``); checked as a ``[tool.fixlint]`` table alone."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"--config {text}: not a TOML `key = value` line ({error})") from None
    settings_from_table(values, None, root=Path.cwd())
    return values


def _merged(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``top`` over ``base``; a family's table is merged key by key."""
    merged = dict(base)
    for key, value in top.items():
        merged[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def _keys(table: dict[str, Any]) -> list[str]:
    """The settings a table sets: top-level keys, and ``family.option`` for a family's."""
    return [
        f"{key}.{option}" if key in FAMILIES and isinstance(value, dict) else key
        for key, value in table.items()
        for option in (value if key in FAMILIES and isinstance(value, dict) else [None])
    ]


class SettingsFinder:
    """The settings of each folder: those of the nearest config file above it, or of ``explicit``
    for every folder, with ``overrides`` over them; and the rules each selects, with the command
    line's ``--rule``, ``--extend-select`` and ``--ignore``. Each file is read once."""

    def __init__(
        self,
        cwd: Path,
        explicit: Optional[Path] = None,
        overrides: Sequence[str] = (),
        cli_selection: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ()),
    ) -> None:
        self.cwd = cwd
        self.explicit = explicit
        self.overrides = tuple(overrides)
        self.cli_selection = cli_selection
        self._by_dir: dict[Path, Settings] = {}
        self._by_file: dict[Optional[Path], Settings] = {}
        self._selected: dict[Optional[Path], list[str]] = {}

    def for_directory(self, directory: Path) -> Settings:
        if directory not in self._by_dir:
            if self.explicit is not None:
                path: Optional[Path] = self.explicit
            else:  # each folder's answer is its own file's, else its parent's (asked once)
                path = config_file_in(directory)
                if path is None and directory.parent != directory:
                    path = self.for_directory(directory.parent).config_file
            if path not in self._by_file:
                # Without a config file, the globs of --config KEY=VALUE are from the working folder.
                self._by_file[path] = load_settings(self.cwd, path, self.overrides)
            self._by_dir[directory] = self._by_file[path]
        return self._by_dir[directory]

    def selected(self, settings: Settings) -> list[str]:
        if settings.config_file not in self._selected:
            self._selected[settings.config_file] = settings.selected_rules(*self.cli_selection)
        return self._selected[settings.config_file]


def settings_from_table(table: dict[str, Any], path: Optional[Path], root: Path) -> Settings:
    settings = Settings(project_root=path.parent if path else root, config_file=path)
    source = path or "--config"
    for key, value in table.items():
        where = f"{source}: [tool.fixlint] `{key}`"
        if key in FAMILIES:
            settings.options[key] = _family_options(key, value, f"{source}: [tool.fixlint.{key}]")
        elif key not in TOP_LEVEL_KEYS:
            known = ", ".join(sorted(TOP_LEVEL_KEYS | set(FAMILIES)))
            raise ConfigError(f"{source}: unknown key `{key}` in [tool.fixlint] (known keys: {known})")
        elif key == "python":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: expected the path of a virtual environment or a Python interpreter")
            settings.python = value
        elif key == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: expected the path of a baseline file")
            settings.baseline = (path.parent if path else root) / value
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: expected a table of glob = [rule names]")
            for glob, names in value.items():
                _require_str_list(names, f"{where} `{glob}`")
                expand_rule_names(tuple(names), f"{where} `{glob}`")
                settings.per_file_ignores[glob] = list(names)
        else:
            _require_str_list(value, where)
            if key in ("select", "extend-select", "ignore"):
                expand_rule_names(tuple(value), where)
            setattr(settings, key.replace("-", "_"), list(value))
    return settings


def _family_options(family: str, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table")
    schema = family_options(family)
    options = {name: option.default for name, option in schema.items()}
    for key, item in value.items():
        option = schema.get(key)
        if option is None:
            known = ", ".join(sorted(schema)) or "none"
            raise ConfigError(f"{where}: unknown key `{key}` (known keys: {known})")
        options[key] = option.validate(item, f"{where} `{key}`")
    return options


def _require_str_list(value: Any, where: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings")
