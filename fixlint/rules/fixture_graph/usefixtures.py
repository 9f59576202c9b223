"""The LibCST rewrite of the fixture-unread fix: parameters out of a test's signature, into a
``usefixtures`` mark (an existing one of the function's own is extended)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional, Union

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from fixlint.rules.parsed_modules import parsed


def moved_to_usefixtures(path: str, text: str, qualname: str, names: Sequence[str]) -> Optional[str]:
    """The module with ``names`` moved; None when it does not parse or the function is not found."""
    found = parsed(path, text)
    if found is None:
        return None
    module = found.module
    alias = _pytest_alias(module)
    mover = _Mover(qualname, list(names), alias or "pytest")
    changed = module.visit(mover)
    if not mover.done:
        return None
    if alias is None:
        context = CodemodContext()
        AddImportsVisitor.add_needed_import(context, "pytest")
        changed = AddImportsVisitor(context).transform_module(changed)
    return changed.code


def _pytest_alias(module: cst.Module) -> Optional[str]:
    """The name ``import pytest`` binds at module level (``pt`` for ``import pytest as pt``)."""
    for statement in module.body:
        if not m.matches(statement, m.SimpleStatementLine(body=[m.Import()])):
            continue
        assert isinstance(statement, cst.SimpleStatementLine)
        imported = statement.body[0]
        assert isinstance(imported, cst.Import)
        for alias in imported.names:
            if m.matches(alias.name, m.Name("pytest")):
                return alias.evaluated_alias or "pytest"
    return None


class _Mover(cst.CSTTransformer):
    def __init__(self, qualname: str, names: list[str], pytest_name: str) -> None:
        self.qualname = qualname
        self.names = names
        self.pytest_name = pytest_name
        self.stack: list[str] = []
        self.done = False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        self.stack.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.stack.append(node.name.value)
        return False  # nested functions are not tests; their body is left as it is

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> Union[cst.FunctionDef, cst.RemovalSentinel]:
        qualname = ".".join(self.stack)
        self.stack.pop()
        if qualname != self.qualname or self.done:
            return updated_node
        self.done = True
        params = updated_node.params
        kept = [param for param in params.params if param.name.value not in self.names]
        kept_kwonly = [param for param in params.kwonly_params if param.name.value not in self.names]
        if kept and params.params and kept[-1] is not params.params[-1]:
            kept[-1] = kept[-1].with_changes(comma=params.params[-1].comma)  # the author's trailing comma
        star_arg = params.star_arg
        if not kept_kwonly and isinstance(star_arg, cst.ParamStar):  # a bare `*` needs a keyword-only one
            star_arg = cst.MaybeSentinel.DEFAULT
            if kept and params.star_kwarg is None:
                kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        new_params = params.with_changes(params=kept, kwonly_params=kept_kwonly, star_arg=star_arg)
        left = kept or kept_kwonly or params.star_kwarg or params.posonly_params
        if not left and isinstance(star_arg, cst.MaybeSentinel):
            # Nothing left between the parentheses: no line break left in them either.
            updated_node = updated_node.with_changes(whitespace_before_params=cst.SimpleWhitespace(""))
        return updated_node.with_changes(params=new_params, decorators=self._decorators(updated_node.decorators))

    def _decorators(self, decorators: Sequence[cst.Decorator]) -> list[cst.Decorator]:
        names = [cst.Arg(cst.SimpleString(f'"{name}"')) for name in self.names]
        usefixtures = m.Call(
            func=m.Attribute(
                value=m.Attribute(value=m.Name(self.pytest_name), attr=m.Name("mark")), attr=m.Name("usefixtures")
            )
        )
        for index, decorator in enumerate(decorators):
            call = decorator.decorator
            if m.matches(call, usefixtures) and isinstance(call, cst.Call):
                args = list(call.args)
                if args and args[-1].comma is cst.MaybeSentinel.DEFAULT:
                    args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                extended = call.with_changes(args=[*args, *names])
                return [*decorators[:index], decorator.with_changes(decorator=extended), *decorators[index + 1 :]]
        new = cst.parse_expression(f"{self.pytest_name}.mark.usefixtures()")
        assert isinstance(new, cst.Call)
        return [cst.Decorator(new.with_changes(args=names)), *decorators]
