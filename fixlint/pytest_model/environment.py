"""The Python environment the suite runs in, found as ty finds a project's (the ``python``
setting, else ``VIRTUAL_ENV``, else a ``.venv`` or ``venv`` folder in the project root, else the
environment fixlint runs in) and read from its files: its ``sys.path`` (the standard library,
site-packages, the folders its ``.pth`` files add) and the modules its editable installs map.
Its interpreter is run only where its files do not say where its site-packages are, once."""

from __future__ import annotations

import ast
import functools
import json
import os
import re
import site
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass, replace
from importlib import machinery
from pathlib import Path
from typing import Optional

from fixlint.errors import ConfigError
from fixlint.pytest_model.config import project_table

# A module suffix the import system loads (``.py``, ``.cpython-312-x86_64-linux-gnu.so``).
_SUFFIXES = tuple(sorted(machinery.all_suffixes(), key=len, reverse=True))
# ``name-1.2.dist-info``, ``name-1.2-py3.12.egg-info``: a distribution and its version.
_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py[\d.]+)?\.(?:dist|egg)-info$")
# What the interpreter says of itself where its files do not: its sys.path and site folders.
_ASK = (
    "import json, site, sys; getsite = getattr(site, 'getsitepackages', lambda: []); "
    "print(json.dumps({'path': sys.path[1:], 'site': getsite() + [site.getusersitepackages()]}))"
)
INTERPRETER_TIMEOUT = 30  # seconds


@dataclass(frozen=True)
class PythonEnvironment:
    """Where the suite's modules and distributions are. ``suites``: known to be the suite's
    environment (named, ``VIRTUAL_ENV``, the project's venv, or fixlint's own with the project
    installed in it): only then is a third-party import judged against it."""

    location: str  # the venv folder or the interpreter, as found
    reason: str  # why this one: "`python` in pyproject.toml", "VIRTUAL_ENV", ...
    path: tuple[str, ...]  # its sys.path, the script's folder aside
    editable: tuple[tuple[str, str], ...] = ()  # top-level module -> its file or folder (editable installs)
    unreadable: tuple[str, ...] = ()  # ``.pth`` files of editable installs whose finder fixlint cannot read
    suites: bool = False
    project: str = ""  # the folder of the project it was found for: its own dependencies are there


def find_environment(setting: Optional[str], where: str, base: Path, project_root: Path) -> PythonEnvironment:
    """The suite's environment: ``setting`` (a venv folder, a ``sys.prefix`` folder or an
    interpreter, relative to ``base``), else ``VIRTUAL_ENV``, else the project's ``.venv`` or
    ``venv``, else the one fixlint runs in. A named one that is not there is a ConfigError."""
    return replace(_found_environment(setting, where, base, project_root), project=str(project_root))


def _found_environment(setting: Optional[str], where: str, base: Path, project_root: Path) -> PythonEnvironment:
    if setting is not None:
        named = base / Path(setting).expanduser()
        found = read_environment(named, f"`python` {'from' if where == '--config' else 'in'} {where}")
        if found is None:
            raise ConfigError(
                f"{where}: `python = {json.dumps(setting)}`: no Python environment or interpreter at {named}"
            )
        return found
    active = os.environ.get("VIRTUAL_ENV")
    # pre-commit sets VIRTUAL_ENV to its own environment of fixlint: that one is not the suite's.
    if active and not _same_file(Path(active), Path(sys.prefix)):
        found = read_environment(Path(active), "VIRTUAL_ENV")
        if found is not None:
            return found
    for name in (".venv", "venv"):
        if (project_root / name / "pyvenv.cfg").is_file():
            found = read_environment(project_root / name, f"the project's `{name}`")
            if found is not None:
                return found
    return running_environment(project_root)


@functools.cache
def running_environment(project_root: Path) -> PythonEnvironment:
    """The environment fixlint runs in: the suite's when the project itself is installed in it."""
    path = tuple(entry for entry in sys.path[1:] if entry)
    sites = [*getattr(site, "getsitepackages", list)(), site.getusersitepackages()]
    editable, unreadable = _editable_installs(sites)
    found = PythonEnvironment(sys.prefix, "the environment fixlint runs in", path, editable, unreadable)
    name = _project_name(project_root)
    if name is None or name not in {dist for dist, _ in distributions(found)}:
        return found
    return replace(found, reason=f"{found.reason}, where `{name}` is installed", suites=True)


@functools.cache
def read_environment(location: Path, reason: str) -> Optional[PythonEnvironment]:
    """The environment at ``location`` (a venv folder, a ``sys.prefix`` folder, an interpreter);
    None when there is none there."""
    if location.is_file():
        for folder in (location.parent, location.parent.parent):  # ``.venv/bin/python``
            if (folder / "pyvenv.cfg").is_file():
                return _read_venv(folder, reason)
        return _asked(location, str(location), reason)
    if (location / "pyvenv.cfg").is_file():
        return _read_venv(location, reason)
    for interpreter in (location / "bin" / "python3", location / "bin" / "python", location / "python.exe"):
        if interpreter.is_file():
            return _asked(interpreter, str(location), reason)
    return None


def _read_venv(folder: Path, reason: str) -> Optional[PythonEnvironment]:
    config = _pyvenv_cfg(folder / "pyvenv.cfg")
    version = ".".join(re.findall(r"\d+", config.get("version_info", config.get("version", "")))[:2])
    sites = [str(path) for path in sorted(folder.glob("lib/python*/site-packages")) if version in path.parent.name]
    sites += [str(folder / "Lib" / "site-packages")] if (folder / "Lib" / "site-packages").is_dir() else []
    interpreter = next((p for p in (folder / "bin" / "python", folder / "Scripts" / "python.exe") if p.exists()), None)
    if len(sites) != 1 or config.get("include-system-site-packages", "false").lower() == "true":
        # Its files do not say which site-packages (or the base's count too): the interpreter does.
        return _asked(interpreter, str(folder), reason) if interpreter is not None else None
    home = Path(config.get("home", "")).parent
    stdlib = [home / "lib" / f"python{version}", home / "lib" / f"python{version}" / "lib-dynload", home / "Lib"]
    # Where its base Python is gone or elsewhere, the standard library fixlint runs with stands in.
    path = [str(folder) for folder in stdlib if folder.is_dir()] or _running_stdlib()
    path += sites
    editable, unreadable = _editable_installs(sites)
    path += _pth_folders(sites)
    return PythonEnvironment(str(folder), reason, tuple(path), editable, unreadable, suites=True)


def _asked(interpreter: Optional[Path], location: str, reason: str) -> Optional[PythonEnvironment]:
    answer = _ask(str(interpreter)) if interpreter is not None else None
    if answer is None:
        return None
    path, sites = answer
    editable, unreadable = _editable_installs(list(sites))
    return PythonEnvironment(location, reason, path, editable, unreadable, suites=True)


@functools.cache
def _ask(interpreter: str) -> Optional[tuple[tuple[str, ...], tuple[str, ...]]]:
    try:
        done = subprocess.run(
            [interpreter, "-c", _ASK], capture_output=True, text=True, timeout=INTERPRETER_TIMEOUT, check=True
        )
        said = json.loads(done.stdout)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return tuple(entry for entry in said["path"] if entry), tuple(said["site"])


def _running_stdlib() -> list[str]:
    paths = sysconfig.get_paths()
    folders = [paths["stdlib"], paths["platstdlib"], os.path.join(paths["platstdlib"], "lib-dynload")]
    return [folder for folder in dict.fromkeys(folders) if os.path.isdir(folder)]


def _pyvenv_cfg(path: Path) -> dict[str, str]:
    config = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, equals, value = line.partition("=")
        if equals:
            config[key.strip().lower()] = value.strip()
    return config


def _pth_lines(sites: list[str]) -> list[tuple[str, str, str]]:
    """(site folder, ``.pth`` file name, line) of every line ``site`` reads, in its order."""
    lines = []
    for folder in sites:
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith(".pth") and not name.startswith("."))
        except OSError:
            continue
        for name in names:
            try:
                text = Path(folder, name).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            lines += [(folder, name, line.rstrip()) for line in text.splitlines() if line.strip()]
    return lines


def _pth_folders(sites: list[str]) -> list[str]:
    """The folders the ``.pth`` files add to ``sys.path`` (an editable install's source root)."""
    folders: list[str] = []
    for folder, _, line in _pth_lines(sites):
        if line.startswith(("#", "import ", "import\t")):
            continue
        added = os.path.normpath(os.path.join(folder, line))
        if os.path.exists(added) and added not in folders:
            folders.append(added)
    return folders


def _editable_installs(sites: list[str]) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The top-level modules editable installs map (setuptools' ``__editable__`` finders, the
    ``editables`` redirector's ``map_module`` calls), and the editable ``.pth`` files whose
    finder fixlint cannot read."""
    mapped: dict[str, str] = {}
    unreadable: list[str] = []
    for folder, name, line in _pth_lines(sites):
        if not line.startswith(("import ", "import\t")) or "editable" not in name.lower():
            continue  # a path line, or a start-up hook (coverage, virtualenv) that maps no module
        module = line.split(None, 1)[1].split(";")[0].split(",")[0].strip()
        found = _finder_mapping(Path(folder, f"{module}.py"))
        if found is None:
            unreadable.append(os.path.join(folder, name))
        else:
            mapped.update((top, path) for top, path in found.items() if top not in mapped)
    return tuple(sorted(mapped.items())), tuple(unreadable)


def _finder_mapping(path: Path) -> Optional[dict[str, str]]:
    """Top-level module -> path, from a finder module's ``MAPPING``/``NAMESPACES`` literals or its
    ``map_module("name", "path")`` calls; None when it has neither."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    mapped: dict[str, str] = {}
    readable = False
    for node in ast.walk(tree):
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in ("MAPPING", "NAMESPACES") and value is not None:
            try:
                literal = ast.literal_eval(value)
            except ValueError:
                return None
            readable = True
            for name, where in literal.items():
                located = where[0] if isinstance(where, list) and where else where
                if isinstance(located, str):
                    mapped.setdefault(name.partition(".")[0], located)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "map_module"
            and len(node.args) == 2
            and all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in node.args)
        ):
            readable = True
            name, where = (arg.value for arg in node.args)  # type: ignore[attr-defined]
            mapped.setdefault(name.partition(".")[0], where)
    return mapped if readable else None


def _project_name(root: Path) -> Optional[str]:
    """The project's distribution name, from its ``pyproject.toml`` (``[project] name``)."""
    name = (project_table(root) or {}).get("name")
    return normalized(name) if isinstance(name, str) else None


def normalized(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


# -- what is installed -----------------------------------------------------------------------
@functools.cache
def _listing(environment: PythonEnvironment) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The top-level modules its ``sys.path`` holds (packages, namespace folders, modules of any
    suffix, a zip's members), and its distributions with their versions, from the folders' names."""
    modules: set[str] = {top for top, _ in environment.editable}
    dists: dict[str, str] = {}
    for entry in environment.path:
        try:
            if os.path.isfile(entry):
                with zipfile.ZipFile(entry) as archive:
                    members = archive.namelist()
                names = [(member.split("/")[0], "/" in member) for member in members]
            else:
                with os.scandir(entry) as listed:
                    names = [(item.name, item.is_dir()) for item in listed]
        except (OSError, zipfile.BadZipFile):
            continue
        for name, is_folder in sorted(names):
            found = _DIST_INFO.match(name)
            if found:
                dists.setdefault(normalized(found["name"]), found["version"])
            elif is_folder and name.isidentifier():  # a package, or a namespace package's portion
                modules.add(name)
            elif not is_folder and name.endswith(_SUFFIXES) and name.partition(".")[0].isidentifier():
                modules.add(name.partition(".")[0])
    return frozenset(modules), tuple(sorted(dists.items()))


def importable_modules(environment: PythonEnvironment) -> frozenset[str]:
    """Every top-level module an ``import`` finds in the environment: its ``sys.path``'s, its
    editable installs', and the interpreter's built-in ones."""
    builtin = set(sys.builtin_module_names) | set(getattr(sys, "stdlib_module_names", ()))
    return _listing(environment)[0] | builtin


def distributions(environment: PythonEnvironment) -> tuple[tuple[str, str], ...]:
    """(normalized name, version) of every distribution installed in it."""
    return _listing(environment)[1]


@functools.cache
def namespace_submodules(environment: PythonEnvironment, dotted: tuple[str, ...]) -> Optional[frozenset[str]]:
    """The submodules of ``dotted`` where it is a namespace package in the environment (folders
    without ``__init__.py``, as ``google.cloud``): its portions' folders and modules are all it
    holds. None where it is not one, or may hold more: a regular package or a module of a name
    on the way, a zip on ``sys.path``, an editable install of its top-level name."""
    if any(top == dotted[0] for top, _ in environment.editable):
        return None
    names: set[str] = set()
    found = False
    for entry in environment.path:
        if os.path.isfile(entry):
            return None  # a zip: its members are not listed here
        folder = entry
        for name in dotted:
            folders, modules = _contents(folder)
            if name in modules:
                return None  # a module (or a regular package, below) comes first or may
            if name not in folders:
                break
            folder = os.path.join(folder, name)
            if os.path.isfile(os.path.join(folder, "__init__.py")):
                return None
        else:
            found = True
            folders, modules = _contents(folder)
            names.update(folders, modules)
    return frozenset(names) if found else None


@functools.cache
def _contents(folder: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names of a folder's subfolders and of its modules (any suffix)."""
    try:
        with os.scandir(folder) as listed:
            items = [(item.name, item.is_dir()) for item in listed]
    except OSError:
        return frozenset(), frozenset()
    folders = frozenset(name for name, is_folder in items if is_folder and name.isidentifier())
    modules = frozenset(
        name.partition(".")[0]
        for name, is_folder in items
        if not is_folder and name.endswith(_SUFFIXES) and name.partition(".")[0].isidentifier()
    )
    return folders, modules


def judges_imports(environment: PythonEnvironment) -> bool:
    """A third-party import is judged only against the suite's environment, all of it readable."""
    return environment.suites and not environment.unreadable
