"""fixlint's own settings: ``[tool.fixlint]`` in the nearest pyproject.toml, or ``--config FILE``."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

from fixlint.errors import ConfigError
from fixlint.rules.registry import FAMILIES, RULES, family_options

TOP_LEVEL_KEYS = {"select", "extend-select", "ignore", "exclude", "per-file-ignores", "baseline"}


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

    @property
    def cache_root(self) -> Path:
        """Where the cache goes: beside the fixlint settings, else at the nearest folder above the
        first path with a project file or a repository (as ruff does), not in the folder checked."""
        if self.config_file is not None:
            return self.project_root
        folder = self.project_root if self.project_root.is_dir() else self.project_root.parent
        for directory in (folder, *folder.parents):
            if any((directory / marker).exists() for marker in PROJECT_MARKERS):
                return directory
        return folder

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


def find_config_file(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml at or above ``start`` that has a ``[tool.fixlint]`` table."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                if "[tool.fixlint" in text:  # fixlint's own settings are broken: never run without them
                    raise ConfigError(f"{candidate}: not valid TOML: {error}") from None
                continue  # pytest's side reports a broken pyproject.toml; here it only holds no settings
            except (UnicodeDecodeError, OSError):
                continue
            if "fixlint" in data.get("tool", {}):
                return candidate
    return None


# What marks a project's root folder when it has no fixlint settings (the cache goes there).
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", ".git", ".hg")


def load_settings(start: Path, explicit: Optional[Path] = None) -> Settings:
    path = explicit or find_config_file(start)
    if path is None:
        return Settings(project_root=start)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    table = data.get("tool", {}).get("fixlint", {}) if path.name == "pyproject.toml" else data
    if path.name != "pyproject.toml" and "tool" in data:
        table = data["tool"].get("fixlint", table)
    return settings_from_table(table, path)


def settings_from_table(table: dict[str, Any], path: Path) -> Settings:
    settings = Settings(project_root=path.parent, config_file=path)
    for key, value in table.items():
        where = f"{path}: [tool.fixlint] `{key}`"
        if key in FAMILIES:
            settings.options[key] = _family_options(key, value, f"{path}: [tool.fixlint.{key}]")
        elif key not in TOP_LEVEL_KEYS:
            known = ", ".join(sorted(TOP_LEVEL_KEYS | set(FAMILIES)))
            raise ConfigError(f"{path}: unknown key `{key}` in [tool.fixlint] (known keys: {known})")
        elif key == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: expected the path of a baseline file")
            settings.baseline = path.parent / value
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
