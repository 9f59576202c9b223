"""``check --show-settings``: the settings a file is judged by, each with where it came from."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fixlint.config import Settings
from fixlint.files.display import display_path
from fixlint.pytest_model.environment import PythonEnvironment, judges_imports
from fixlint.rules.registry import FAMILIES, family_options

TOP_LEVEL = (
    ("select", "select"),
    ("extend-select", "extend_select"),
    ("ignore", "ignore"),
    ("exclude", "exclude"),
    ("per-file-ignores", "per_file_ignores"),
)


ALIGN = 48  # the origins line up here; a longer setting pushes its own along


def render_settings(
    path: Path,
    settings: Settings,
    rootdir: Path,
    options_from: Settings,
    selected: Sequence[str],
    cwd: Path,
    environment: PythonEnvironment,
) -> str:
    """``settings`` select the rules and filter the file's findings; the family options are those
    of ``options_from``, the settings of the file's rootdir; ``environment`` is the suite's."""

    def origin(of: Settings, key: str) -> str:
        where = of.origins.get(key)
        return "default" if where is None else where if where == "--config" else display_path(where, cwd)

    def source(of: Settings) -> str:
        return display_path(str(of.config_file), cwd) if of.config_file else "none (the defaults)"

    rows: list[tuple[str, str]] = []
    for key, attribute in TOP_LEVEL:
        rows.append((f"{key} = {_toml(getattr(settings, attribute))}", origin(settings, key)))
    rows.append((f"rules = {_toml(list(selected))}", "the selection above, with --rule, --extend-select, --ignore"))
    for family in sorted(FAMILIES):
        schema = family_options(family)
        if not schema:
            continue
        rows.append((f"\n[{family}]", ""))
        values = options_from.options.get(family, {})
        for name, option in schema.items():
            rows.append(
                (f"{name} = {_toml(values.get(name, option.default))}", origin(options_from, f"{family}.{name}"))
            )
    width = min(max(len(text) for text, _ in rows if "\n" not in text), ALIGN)
    lines = [
        f"Settings for {display_path(str(path), cwd)}",
        f"  settings file: {source(settings)}",
        f"  rootdir: {display_path(str(rootdir), cwd)}; the rule options are its settings': {source(options_from)}",
        f"  python environment: {display_path(environment.location, cwd)} ({environment.reason}); "
        f"third-party imports {_judged(environment)}",
        "",
    ]
    lines += [f"{text.ljust(width)}  # {where}" if where else text for text, where in rows]
    return "\n".join(lines)


def _judged(environment: PythonEnvironment) -> str:
    if judges_imports(environment):
        return "judged against it"
    if environment.unreadable:
        return f"not judged (an editable install's finder is not readable: {environment.unreadable[0]})"
    return "not judged (not known to be the suite's: name it with `python`)"


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)
