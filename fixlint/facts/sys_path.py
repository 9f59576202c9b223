"""The folders a module puts on ``sys.path`` when it is imported, where fixlint can read them:
``sys.path.insert(0, str(Path(__file__).parent / "lib"))``,
``sys.path.append(os.path.join(os.path.dirname(__file__), "..", "src"))``, through module-level
names bound to such paths (``HERE = Path(__file__).resolve().parent``). Each is a path relative
to the module's folder (``lib``, ``../src``, ``.``), or an absolute one written as a literal."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass
from typing import Optional

from fixlint.facts.syntax import dotted_name, string_value, top_level_statements

# Calls whose value is their first argument's path, by the last part of their name.
_SAME_PATH = {"abspath", "realpath", "normpath", "str", "fspath", "Path", "PurePath", "PosixPath"}
_SAME_PATH_METHODS = {"resolve", "absolute", "as_posix"}
_PATH_MODULES = ("os.path.", "path.", "pathlib.", "os.")
_FILE = "<file>"  # the module itself, the last part of ``__file__``


@dataclass(frozen=True)
class _Path:
    """A path of the module's folder: ``up`` folders above it, then ``parts``; or an absolute one."""

    up: int = 0
    parts: tuple[str, ...] = ()
    absolute: Optional[str] = None

    def parent(self) -> _Path:
        if self.absolute is not None:
            return _Path(absolute=posixpath.dirname(self.absolute))
        return _Path(self.up, self.parts[:-1]) if self.parts else _Path(self.up + 1)

    def joined(self, text: str) -> Optional[_Path]:
        if text.startswith("/"):
            return _Path(absolute=posixpath.normpath(text))
        if self.absolute is not None:
            return _Path(absolute=posixpath.normpath(posixpath.join(self.absolute, text)))
        if self.parts[-1:] == (_FILE,):
            return None  # below a file
        path = self
        for part in text.replace("\\", "/").split("/"):
            if part == "..":
                path = path.parent()
            elif part not in ("", "."):
                path = _Path(path.up, (*path.parts, part))
        return path

    def folder(self) -> Optional[str]:
        if self.absolute is not None:
            return self.absolute
        if _FILE in self.parts:
            return None  # the module file, not a folder
        return posixpath.join(*([".."] * self.up), *self.parts) if self.up or self.parts else "."


def sys_path_entries(module: ast.Module) -> list[str]:
    """The folders the module's top-level statements put on ``sys.path``, in order."""
    names: dict[str, _Path] = {}
    entries: list[str] = []
    for statement in top_level_statements(module.body):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                value = _path(statement.value, names)
                if value is None:
                    names.pop(target.id, None)
                else:
                    names[target.id] = value
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            for argument in _added(statement.value):
                value = _path(argument, names)
                folder = value.folder() if value is not None else None
                if folder is not None and folder not in entries:
                    entries.append(folder)
    return entries


def _added(call: ast.Call) -> list[ast.expr]:
    """The paths ``sys.path.insert(i, p)``, ``.append(p)`` and ``.extend([p, ...])`` add."""
    callee = dotted_name(call.func)
    if callee == "sys.path.insert" and len(call.args) == 2:
        return [call.args[1]]
    if callee == "sys.path.append" and len(call.args) == 1:
        return [call.args[0]]
    if callee == "sys.path.extend" and len(call.args) == 1 and isinstance(call.args[0], (ast.List, ast.Tuple)):
        return list(call.args[0].elts)
    return []


def _path(node: ast.expr, names: dict[str, _Path]) -> Optional[_Path]:
    if isinstance(node, ast.Name):
        return _Path(parts=(_FILE,)) if node.id == "__file__" else names.get(node.id)
    literal = string_value(node)
    if literal is not None:
        return _Path(absolute=posixpath.normpath(literal)) if literal.startswith("/") else None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        base = _path(node.value, names)
        return base.parent() if base is not None else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents":
        base = _path(node.value.value, names)
        index = node.slice
        if base is None or not isinstance(index, ast.Constant) or type(index.value) is not int or index.value < 0:
            return None
        for _ in range(index.value + 1):
            base = base.parent()
        return base
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        base, part = _path(node.left, names), string_value(node.right)
        return base.joined(part) if base is not None and part is not None else None
    if isinstance(node, ast.Call) and not node.keywords:
        return _called(node, names)
    return None


def _called(call: ast.Call, names: dict[str, _Path]) -> Optional[_Path]:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in (*_SAME_PATH_METHODS, "joinpath"):
        base = _path(func.value, names)
        if base is None or func.attr != "joinpath":
            return base if not call.args else None
        return _joined(base, call.args)
    callee = dotted_name(func)
    if callee is None or (callee.count(".") and not callee.startswith(_PATH_MODULES)):
        return None
    last = callee.rpartition(".")[2]
    if not call.args:
        return None
    base = _path(call.args[0], names)
    if base is None:
        return None
    if last in _SAME_PATH and len(call.args) == 1:
        return base
    if last == "dirname" and len(call.args) == 1:
        return base.parent()
    if last == "join":
        return _joined(base, call.args[1:])
    return None


def _joined(base: _Path, parts: list[ast.expr]) -> Optional[_Path]:
    path: Optional[_Path] = base
    for part in parts:
        text = string_value(part)
        if text is None or path is None:
            return None
        path = path.joined(text)
    return path
