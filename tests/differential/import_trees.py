"""Generated trees of first-party imports, broken or not, for the import-unresolved differential
test: a package with modules, re-exports through ``__init__``, star imports with and without
``__all__``, a subpackage, a ``pythonpath`` folder, a folder a conftest puts on ``sys.path`` and a
helper package; test modules that import from them, one import at most per module going wrong
(pytest reports only the first), some of them where pytest does not see it at collection (in a
function, a ``try``, ``if TYPE_CHECKING``)."""

from __future__ import annotations

import random
from pathlib import Path


def _module(rng: random.Random, prefix: str) -> tuple[str, list[str], list[str]]:
    """Source, its public names, and the names a star import takes from it."""
    names = [f"{prefix}_{kind}{index}" for index, kind in enumerate(rng.sample(["fn", "Cls", "CONST", "var"], 3))]
    private = f"_{prefix}_hidden"
    lines = []
    for name in [*names, private]:
        if "Cls" in name:
            lines.append(f"class {name}:\n    pass\n")
        elif "fn" in name or name == private:
            lines.append(f"def {name}():\n    return 1\n")
        else:
            lines.append(f"{name} = 1\n")
    exported = names
    if rng.random() < 0.5:
        exported = rng.sample(names, 2) + ([private] if rng.random() < 0.5 else [])
        lines.insert(0, f"__all__ = {exported!r}\n")
    return "\n".join(lines), names + [private], exported


def make_import_tree(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    files: dict[str, str] = {"pytest.ini": "[pytest]\npythonpath = src\n"}
    valid: list[str] = []  # import statements that work
    broken: list[str] = []  # statements that fail at import time
    init_lines = []
    package_names: set[str] = set()
    for index in range(3):
        prefix = f"m{index}"
        source, names, exported = _module(rng, prefix)
        files[f"pkg/{prefix}.py"] = source
        valid += [f"from pkg.{prefix} import {name}" for name in names] + [f"import pkg.{prefix}"]
        broken += [f"from pkg.{prefix} import {prefix}_absent", f"from pkg.{prefix}.inner import x"]
        if rng.random() < 0.5:
            init_lines.append(f"from .{prefix} import *")
            package_names.update(exported)
        else:
            chosen = rng.choice(names)
            init_lines.append(f"from .{prefix} import {chosen}")
            package_names.add(chosen)
        everything = set(names)
        broken += [f"from pkg import {name}" for name in sorted(everything - package_names)]
    files["pkg/__init__.py"] = "\n".join(init_lines) + "\n"
    valid += [f"from pkg import {name}" for name in sorted(package_names)] + ["from pkg import m0, m1"]
    broken += ["import pkg.absent", "from pkg import absent_module", "import pkg.sub.absent"]
    files["pkg/sub/__init__.py"] = "from ..m0 import *\n"
    valid += ["import pkg.sub", "from pkg.sub import *"]
    files["src/lib/__init__.py"] = ""
    files["src/lib/core.py"] = "def core():\n    return 1\n"
    valid += ["from lib.core import core"]
    broken += ["from lib.core import absent_core", "import lib.absent"]
    # A folder the root conftest puts on sys.path, as pytest imports it before the tests.
    files["conftest.py"] = (
        "import os\nimport sys\n\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), 'vendor'))\n"
    )
    files["vendor/vendored.py"] = "def vendored():\n    return 1\n"
    vendored_import = rng.choice(["from vendored import vendored", "from vendored import absent_vendored"])
    files["tests/test_vendored.py"] = f"{vendored_import}\n\n\ndef test_vendored():\n    pass\n"
    helper_broken = rng.random() < 0.5
    helper_import = rng.choice(broken) if helper_broken else rng.choice(valid)
    files["test_helpers/__init__.py"] = ""
    files["test_helpers/support.py"] = f"{helper_import}\n\n\ndef support():\n    return 1\n"
    for index in range(6):
        lines = ["import pytest", *rng.sample(valid, 2)]
        roll = rng.random()
        body = "def test_it():\n    pass\n"
        if roll < 0.35:
            lines.insert(rng.randrange(1, len(lines) + 1), rng.choice(broken))
        elif roll < 0.45:
            lines += ["try:", f"    {rng.choice(broken)}", "except ImportError:", "    pass"]
        elif roll < 0.55:
            lines += ["from typing import TYPE_CHECKING", "if TYPE_CHECKING:", f"    {rng.choice(broken)}"]
        elif roll < 0.65:
            body = f"def test_it():\n    {rng.choice(broken)}\n"
        elif roll < 0.8:
            lines.append("from test_helpers.support import support")
        files[f"tests/test_{index}.py"] = "\n".join(lines) + "\n\n\n" + body
    for relative, source in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)


# An editable install as setuptools makes it: a ``.pth`` line that installs a finder, the finder's
# ``MAPPING`` of top-level names to their source folders (the shape fixlint reads).
EDITABLE_FINDER = """\
import importlib.util
import os
import sys

MAPPING = {mapping!r}


class _EditableFinder:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname in MAPPING:
            folder = MAPPING[fullname]
            init = os.path.join(folder, "__init__.py")
            return importlib.util.spec_from_file_location(fullname, init, submodule_search_locations=[folder])
        return None


def install():
    sys.meta_path.append(_EditableFinder)
"""


def make_third_party_tree(root: Path, site: Path, seed: int, pytest_folder: str) -> None:
    """Test modules importing modules installed in the venv whose ``site`` is given (packages
    with their metadata, a single-file module, a namespace package's portion, a folder a ``.pth``
    file adds, an editable install) and modules installed nowhere; one import at most per module
    going wrong, some where pytest does not see it at collection (in a function, a ``try``, ``if
    TYPE_CHECKING``, after ``pytest.importorskip`` of it). ``pytest_folder`` (where pytest is
    installed) is added to the venv by a ``.pth`` line: its interpreter runs the suite."""
    rng = random.Random(seed)
    venv = site.parents[2]
    files: dict[Path, str] = {
        root / "pytest.ini": "[pytest]\n",
        site / "with_pytest.pth": pytest_folder + "\n",
        site / "sources.pth": "../../../outside\n",
        venv / "outside" / "tp_pth.py": "FROM_PTH = 1\n",
        site / "tp_single.py": "def single():\n    return 1\n",
        site / "tp_ns" / "part.py": "PART = 1\n",
        site / "__editable__.tp_edit-1.0.pth": (
            "import __editable___tp_edit_1_0_finder; __editable___tp_edit_1_0_finder.install()\n"
        ),
        site / "__editable___tp_edit_1_0_finder.py": EDITABLE_FINDER.format(
            mapping={"tp_edit": str(venv / "editable_src" / "tp_edit")}
        ),
        venv / "editable_src" / "tp_edit" / "__init__.py": "EDITED = 1\n",
    }
    valid = ["import tp_pth", "import tp_single", "from tp_ns import part", "import tp_ns.part", "import tp_edit"]
    for index in range(2):
        files[site / f"tp_pkg{index}" / "__init__.py"] = "VALUE = 1\n"
        files[site / f"tp_pkg{index}" / "sub.py"] = "SUB = 1\n"
        files[site / f"tp_pkg{index}-1.{index}.dist-info" / "METADATA"] = (
            f"Metadata-Version: 2.1\nName: tp-pkg{index}\nVersion: 1.{index}\n"
        )
        valid += [f"import tp_pkg{index}", f"from tp_pkg{index} import VALUE", f"import tp_pkg{index}.sub"]
    missing = ["tp_missing", "tp_gone", "tp_absent"]
    broken = ["import tp_missing", "import tp_gone.sub", "from tp_absent import thing"]
    for index in range(8):
        lines = ["import pytest", *rng.sample(valid, 2)]
        roll = rng.random()
        body = "def test_it():\n    pass\n"
        if roll < 0.4:
            lines.insert(rng.randrange(1, len(lines) + 1), rng.choice(broken))
        elif roll < 0.5:
            lines += ["try:", f"    {rng.choice(broken)}", "except ImportError:", "    pass"]
        elif roll < 0.6:
            lines += ["from typing import TYPE_CHECKING", "if TYPE_CHECKING:", f"    {rng.choice(broken)}"]
        elif roll < 0.7:
            body = f"def test_it():\n    {rng.choice(broken)}\n"
        elif roll < 0.8:
            skipped = rng.choice(missing)
            lines += [f"{skipped} = pytest.importorskip({skipped!r})", f"import {skipped}"]
        files[root / "tests" / f"test_{index}.py"] = "\n".join(lines) + "\n\n\n" + body
    for path, source in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
