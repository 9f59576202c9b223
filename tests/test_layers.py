"""The layers of ARCHITECTURE.md, read from the code: each module imports only from its own layer
or the ones below it, a rule family imports no other family, and a check imports no LibCST."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "fixlint"
# Bottom first. A module belongs to the first layer one of whose prefixes it starts with.
LAYERS = (
    ("base", ("fixlint", "fixlint.errors", "fixlint.findings", "fixlint.stopwatch")),
    ("files", ("fixlint.files",)),
    ("facts", ("fixlint.facts",)),
    ("modules", ("fixlint.modules",)),
    ("pytest model", ("fixlint.pytest_model",)),
    ("rules", ("fixlint.rules",)),
    ("engine", ("fixlint.engine", "fixlint.config")),
    ("output", ("fixlint.output", "fixlint.report", "fixlint.graph")),
    ("cli", ("fixlint.cli", "fixlint.__main__")),
)


def layer_of(module: str) -> int:
    found = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".") and prefix != "fixlint"
    ]
    assert found, f"{module} is in no layer of ARCHITECTURE.md"
    return max(found)[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every fixlint import the module makes when it runs: those under
    ``if TYPE_CHECKING:`` are for the type checker only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from fixlint import rules`` imports the package ``fixlint.rules``.
            found.extend(
                (node.lineno, f"{base}.{alias.name}" if is_submodule(base, alias.name) else base)
                for alias in node.names
            )
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return [(line, name) for line, name in found if name == "fixlint" or name.startswith("fixlint.")]


def is_submodule(package: str, name: str) -> bool:
    folder = PACKAGE.parent.joinpath(*package.split("."))
    return (folder / f"{name}.py").is_file() or (folder / name).is_dir()


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path))
def test_imports_go_down_only(path: Path) -> None:
    importer = module_name(path)
    level = layer_of(importer)
    upward = [
        f"line {line}: {imported} ({LAYERS[layer_of(imported)][0]})"
        for line, imported in runtime_imports(path)
        if layer_of(imported) > level
    ]
    assert not upward, f"{importer} ({LAYERS[level][0]}) imports from a higher layer: " + "; ".join(upward)


def family(module: str) -> str:
    """``fixture_scope`` of ``fixlint.rules.fixture_scope.edits``; "" for the rules' shared modules."""
    parts = module.split(".")
    if len(parts) > 2 and parts[:2] == ["fixlint", "rules"] and (PACKAGE / "rules" / parts[2]).is_dir():
        return parts[2]
    return ""


@pytest.mark.parametrize("path", [path for path in MODULES if family(module_name(path))], ids=module_name)
def test_a_family_imports_no_other_family(path: Path) -> None:
    own = family(module_name(path))
    others = [f"line {line}: {name}" for line, name in runtime_imports(path) if family(name) not in ("", own)]
    assert not others, f"{module_name(path)} imports another rule family: " + "; ".join(others)


def test_the_engine_and_the_cli_name_no_family() -> None:
    """Only the registry finds the families; the engine, the config and the CLI go through it."""
    for path in MODULES:
        name = module_name(path)
        if layer_of(name) > layer_of("fixlint.rules") or name == "fixlint.rules.registry":
            named = [imported for _, imported in runtime_imports(path) if family(imported)]
            assert not named, f"{name} imports {named}"


@pytest.mark.parametrize("command", [["--version"], ["rules"], ["check", "--no-cache", "."]])
def test_a_check_imports_no_libcst(tmp_path: Path, command: list[str]) -> None:
    """LibCST is for rewriting: ``--version``, ``rules`` and a check (cold or warm) never import it."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_a.py").write_text(
        "import pytest\n\n@pytest.fixture(scope='session')\ndef db(tmp_path):\n    return tmp_path\n\n\n"
        "def test_a(db):\n    pass\n"
    )
    probe = (
        "import sys\nfrom fixlint.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe, *command], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert completed.stdout.strip().splitlines()[-1] == "False", completed.stdout + completed.stderr
