"""One LibCST traversal per file that turns a module into ``FileFacts``."""

from __future__ import annotations

import ast
import itertools
import re
from typing import Optional, Sequence, Union

import libcst as cst
import libcst.matchers as m
from libcst.metadata import MetadataWrapper, PositionProvider

from fixlint.class_shape import wrapper_shape
from fixlint.event_body import function_body
from fixlint.facts import (
    CallFact,
    ClassFact,
    DecoratorCall,
    FileFacts,
    FixtureFact,
    FunctionFact,
    ImportFact,
    KeywordValue,
    MarksFact,
    ParametrizeFact,
    Span,
    Suppression,
    SyntaxErrorFact,
)
from fixlint.literals import dotted_name, string_value

FIXTURE_DECORATORS = {"pytest.fixture": "pytest", "pytest_asyncio.fixture": "pytest_asyncio"}
ERROR_AT_RE = re.compile(r"error at (\d+):(\d+)")
SUPPRESSION_RE = re.compile(r"#\s*fixlint:\s*ignore(?:\[([^\]]*)\])?")


def parse_source(path: str, source: bytes) -> tuple[Optional[cst.Module], Optional[SyntaxErrorFact]]:
    if b"\x00" in source:  # Python refuses a NUL anywhere, even in a string LibCST would accept
        before = source[: source.index(b"\x00")]
        line = before.count(b"\n") + 1
        return None, SyntaxErrorFact("source code cannot contain null bytes", line, len(before) - before.rfind(b"\n"))
    try:
        return cst.parse_module(source), None
    except cst.ParserSyntaxError as error:
        return None, _python_syntax_error(path, source) or _libcst_syntax_error(error)
    except (UnicodeDecodeError, LookupError, SyntaxError, ValueError) as error:
        return None, SyntaxErrorFact(f"cannot decode or parse: {error}", 1, 1)


def _python_syntax_error(path: str, source: bytes) -> Optional[SyntaxErrorFact]:
    """CPython's own message and position, which are more precise than LibCST's."""
    try:
        compile(source, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return SyntaxErrorFact(error.msg, error.lineno or 1, max(error.offset or 1, 1))
    return None  # newer syntax than this interpreter's: LibCST's word stands


def _libcst_syntax_error(error: cst.ParserSyntaxError) -> SyntaxErrorFact:
    message = str(error.message).strip().splitlines()[0] if error.message else "invalid syntax"
    # The native parser puts its position in the message, not in raw_column.
    where = ERROR_AT_RE.search(message)
    if where:
        message = message[where.end() :].lstrip(": ") or message
        return SyntaxErrorFact(message, int(where.group(1)), max(int(where.group(2)), 1))
    return SyntaxErrorFact(message, error.raw_line, error.raw_column + 1)


def extract_facts(path: str, source: bytes) -> FileFacts:
    module, error = parse_source(path, source)
    if module is None:
        return FileFacts(path=path, syntax_error=error)
    # LibCST drops the last line ending of a file of lone ``\r`` line endings: ask the bytes.
    terminated = not source or source.endswith((b"\n", b"\r"))
    return facts_from_module(path, module, terminated)


def facts_from_module(path: str, module: cst.Module, terminated: bool) -> FileFacts:
    unterminated = 0 if terminated else len(module.code.splitlines())
    facts = FileFacts(path=path, unterminated_line=unterminated)
    MetadataWrapper(module, unsafe_skip_copy=True).visit(_FactsVisitor(facts, module))
    return facts


def _string_list(node: cst.BaseExpression) -> Optional[list[str]]:
    """A string, or a list or tuple of strings, as in ``usefixtures`` and ``indirect``."""
    single = string_value(node)
    if single is not None:
        return [single]
    if isinstance(node, (cst.List, cst.Tuple)):
        values = [string_value(element.value) for element in node.elements]
        if all(value is not None for value in values):
            return [value for value in values if value is not None]
    return None


def _string_collection(node: cst.BaseExpression) -> Optional[list[str]]:
    """``["a", "b"]``, ``{"a", "b"}``, ``("a",)``, ``set([...])``, ``frozenset({...})``."""
    if isinstance(node, cst.Call) and dotted_name(node.func) in ("set", "frozenset", "list", "tuple") and len(node.args) == 1:
        node = node.args[0].value
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)) and node.elements:
        values = [string_value(element.value) for element in node.elements]
        if all(value is not None for value in values):
            return [value for value in values if value is not None]
    return None


def _keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


class _FactsVisitor(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, facts: FileFacts, module: cst.Module) -> None:
        super().__init__()
        self.facts = facts
        self.module = module
        self.aliases: dict[str, str] = {}  # local name -> qualified name, for pytest's own names
        self.class_stack: list[str] = []
        self.function_depth = 0
        # ``use_db = pytest.mark.usefixtures("db")``, ``live = pytest.mark.live``
        self.mark_variables: dict[str, cst.BaseExpression] = {}
        self.functions: list[tuple[str, bool]] = []  # (qualname, is async) of the enclosing defs
        self.not_references: set[int] = set()  # ids of Name nodes that define or import, not read
        self.in_import = False
        # Inside a lambda or a parameter list, ``await`` is not allowed even in ``async def``.
        self.not_awaitable = 0
        self.chained: set[int] = set()  # ids of expressions whose value is used by ``.attr``, ``[i]`` or ``(...)``  # ``use_db = pytest.mark.usefixtures("db")``
        # Branches (``if``/``else``, ``try``/``except``/``finally``, ``match``/``case``) around the
        # current statement, outside functions, each by a number of its own.
        self.branch: list[int] = []
        self.branch_numbers = itertools.count()
        self.current_requests: Optional[list[str]] = None

    # -- positions ---------------------------------------------------------------------
    def _span(self, node: cst.CSTNode) -> Span:
        code_range = self.get_metadata(PositionProvider, node)
        return Span(
            code_range.start.line,
            code_range.start.column + 1,
            code_range.end.line,
            code_range.end.column + 1,
        )

    def _qualified(self, node: cst.BaseExpression) -> Optional[str]:
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    # -- imports -------------------------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        unconditional = not (self.function_depth or self.class_stack or self.branch)
        if unconditional and any(isinstance(statement, (cst.Import, cst.ImportFrom)) for statement in node.body):
            self.facts.last_import_line = self._span(node).end_line
        elif node is self.module.body[0] and m.matches(node, m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])):
            self.facts.last_import_line = self._span(node).end_line  # the module docstring stays first

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self.in_import = True

    def leave_ImportAlias(self, original_node: cst.ImportAlias) -> None:
        self.in_import = False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.aliases[alias.asname.name.value] = full
                bound = alias.asname.name.value
            else:
                head = full.split(".")[0]
                self.aliases[head] = head
                bound = head
            if self.function_depth == 0 and not self.class_stack:
                span = self._span(node)
                self.facts.imports.append(ImportFact(full, 0, [(full, bound)], False, span.line, span.column))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module is not None else ""
        level = len(node.relative)
        names: list[tuple[str, str]] = []
        star = isinstance(node.names, cst.ImportStar)
        if not star:
            for alias in node.names:
                name = dotted_name(alias.name) or ""
                bound = name
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    bound = alias.asname.name.value
                names.append((name, bound))
                if level == 0 and module:
                    self.aliases[bound] = f"{module}.{name}"
        if self.function_depth == 0 and not self.class_stack:
            span = self._span(node)
            self.facts.imports.append(ImportFact(module or "", level, names, star, span.line, span.column))

    # -- comments ------------------------------------------------------------------------
    def visit_Comment(self, node: cst.Comment) -> None:
        match = SUPPRESSION_RE.search(node.value)
        if not match:
            return
        span = self._span(node)
        rules = None
        if match.group(1) is not None:
            rules = tuple(part.strip() for part in match.group(1).split(",") if part.strip())
        self.facts.suppressions.append(Suppression(span.line, span.column + match.start(), rules))

    # -- module and class level assignments ----------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if self.function_depth:
            return
        for target in node.targets:
            if not isinstance(target.target, cst.Name):
                continue
            name = target.target.value
            if name == "pytestmark":
                marks = self.facts.class_marks(".".join(self.class_stack)) if self.class_stack else self.facts.module_marks
                values = node.value.elements if isinstance(node.value, (cst.List, cst.Tuple)) else None
                for expr in [e.value for e in values] if values is not None else [node.value]:
                    self._read_mark(expr, marks)
            elif name == "pytest_plugins" and not self.class_stack:
                self.facts.pytest_plugins.extend(_string_list(node.value) or [])
            elif not self.class_stack and isinstance(node.value, (cst.Call, cst.Attribute)):
                self.mark_variables[name] = node.value
            strings = _string_collection(node.value)
            if strings is not None:
                self.facts.string_constants[".".join([*self.class_stack, name])] = strings

    def _read_mark(self, expr: cst.BaseExpression, marks: MarksFact) -> None:
        if isinstance(expr, cst.Name):
            expr = self.mark_variables.get(expr.value, expr)
        qualified = self._qualified(expr.func if isinstance(expr, cst.Call) else expr)
        if qualified and qualified.startswith("pytest.mark.") and qualified.count(".") == 2:
            marks.names.append(qualified.rpartition(".")[2])
        if not isinstance(expr, cst.Call):
            return
        if qualified == "pytest.mark.usefixtures":
            for arg in expr.args:
                value = string_value(arg.value)
                if value is not None and arg.keyword is None:
                    marks.usefixtures.append(value)
        elif qualified == "pytest.mark.parametrize":
            parametrize = self._parametrize(expr)
            if parametrize is not None:
                marks.parametrize.append(parametrize)

    @staticmethod
    def _parametrize(call: cst.Call) -> Optional[ParametrizeFact]:
        positional = [arg for arg in call.args if arg.keyword is None]
        argnames_arg = _keyword(call, "argnames")
        node = argnames_arg.value if argnames_arg else (positional[0].value if positional else None)
        if node is None:
            return None
        names = _string_list(node)
        if names is None:
            return None
        if len(names) == 1:
            names = [name.strip() for name in names[0].split(",") if name.strip()]
        indirect: Union[bool, list[str]] = False
        indirect_arg = _keyword(call, "indirect")
        if indirect_arg is not None:
            value = indirect_arg.value
            if isinstance(value, cst.Name) and value.value in ("True", "False"):
                indirect = value.value == "True"
            else:
                indirect = _string_list(value) or False
        scope_arg = _keyword(call, "scope")
        scope = string_value(scope_arg.value) if scope_arg else None
        return ParametrizeFact(names, indirect, scope)

    # -- conditional definitions ------------------------------------------------------------
    def _enter_branch(self, node: cst.CSTNode) -> None:
        if not self.function_depth:
            self.branch.append(next(self.branch_numbers))

    def _leave_branch(self, node: cst.CSTNode) -> None:
        if not self.function_depth:
            self.branch.pop()

    # An ``if`` (its body), an ``else`` inside it, an ``elif`` (a nested ``If``) and so on.
    visit_If = visit_Else = visit_Try = visit_TryStar = visit_ExceptHandler = visit_ExceptStarHandler = _enter_branch
    visit_Finally = visit_Match = visit_MatchCase = _enter_branch
    leave_If = leave_Else = leave_Try = leave_TryStar = leave_ExceptHandler = leave_ExceptStarHandler = _leave_branch
    leave_Finally = leave_Match = leave_MatchCase = _leave_branch

    # -- classes ---------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> Optional[bool]:
        if self.function_depth:
            return False
        self.class_stack.append(node.name.value)
        marks = MarksFact()
        for decorator in node.decorators:
            self._read_mark(decorator.decorator, marks)
        has_init = any(
            isinstance(statement, cst.FunctionDef) and statement.name.value in ("__init__", "__new__")
            for statement in node.body.body
        )
        bases = [dotted_name(arg.value) or "" for arg in node.bases if arg.keyword is None]
        self.not_references.add(id(node.name))
        span = self._span(node)
        first = self._span(node.decorators[0]) if node.decorators else span
        self.facts.classes.append(
            ClassFact(
                ".".join(self.class_stack), span.line, bases, marks, has_init,
                column=span.column,
                span=Span(first.line, first.column, span.end_line, span.end_column),
                wrapper=wrapper_shape(node),
            )
        )
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        if self.function_depth == 0 and self.class_stack and self.class_stack[-1] == original_node.name.value:
            self.class_stack.pop()

    # -- functions ---------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> Optional[bool]:
        self.function_depth += 1
        self.not_references.add(id(node.name))
        enclosing = self.functions[-1][0] if self.functions else ".".join(self.class_stack)
        qualname = f"{enclosing}.{node.name.value}" if enclosing else node.name.value
        self.functions.append((qualname, node.asynchronous is not None))
        if self.function_depth > 1:
            return True
        owner = ".".join(self.class_stack) or None
        is_static = any(
            isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in node.decorators
        )
        argnames = _argnames(node.params, strip_first=owner is not None and not is_static)
        self.current_requests = []
        fixture_decorator = None
        marks = MarksFact()
        for decorator in node.decorators:
            expr = decorator.decorator
            func = expr.func if isinstance(expr, cst.Call) else expr
            flavour = FIXTURE_DECORATORS.get(self._qualified(func) or "")
            if flavour is not None:
                fixture_decorator = (decorator, flavour)
            else:
                self._read_mark(expr, marks)
        first_line = self._span(node.decorators[0]).line if node.decorators else self._span(node).line
        def_span = self._span(node.name)
        self.facts.bodies.append(function_body(node, self.functions[-1][0], self.module.default_indent, self._span, self.module.code_for_node))
        if node.name.value == "event_loop" and fixture_decorator is not None:
            self.facts.has_event_loop_fixture = True
        if fixture_decorator is not None:
            self.facts.fixtures.append(
                self._fixture(node, fixture_decorator[0], fixture_decorator[1], owner, argnames, first_line)
            )
        else:
            self.facts.functions.append(
                FunctionFact(
                    name=node.name.value,
                    owner=owner,
                    line=def_span.line,
                    column=def_span.column,
                    argnames=argnames,
                    getfixturevalue=self.current_requests,
                    marks=marks,
                    is_async=node.asynchronous is not None,
                )
            )
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_depth -= 1
        self.functions.pop()
        if self.function_depth == 0:
            self.current_requests = None

    def _enter_unawaitable(self, node: cst.CSTNode) -> None:
        self.not_awaitable += 1

    def _leave_unawaitable(self, node: cst.CSTNode) -> None:
        self.not_awaitable -= 1

    visit_Lambda = visit_Parameters = _enter_unawaitable
    leave_Lambda = leave_Parameters = _leave_unawaitable

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_references.add(id(node.attr))
        self.chained.add(id(node.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.chained.add(id(node.value))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value[:1].isupper() and not self.in_import and id(node) not in self.not_references:
            self.facts.references[node.value] = self.facts.references.get(node.value, 0) + 1

    def visit_Call(self, node: cst.Call) -> None:
        self.chained.add(id(node.func))
        callee = dotted_name(node.func)
        if callee and callee.rpartition(".")[2][:1].isupper():
            self.facts.calls.append(
                CallFact(
                    callee=callee,
                    span=self._span(node),
                    args=[(arg.keyword.value if arg.keyword else None, self.module.code_for_node(arg.value)) for arg in node.args if not arg.star],
                    has_star_args=any(arg.star for arg in node.args),
                    function=self.functions[-1][0] if self.functions else None,
                    in_async=bool(self.functions) and self.functions[-1][1] and not self.not_awaitable,
                    has_comments=bool(m.findall(node, m.Comment())),
                    chained=id(node) in self.chained,
                )
            )
        if self.current_requests is None:
            return
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "getfixturevalue" and node.args:
            value = string_value(node.args[0].value)
            if value is not None:
                self.current_requests.append(value)

    def _fixture(
        self,
        node: cst.FunctionDef,
        decorator: cst.Decorator,
        flavour: str,
        owner: Optional[str],
        argnames: list[str],
        first_line: int,
    ) -> FixtureFact:
        expr = decorator.decorator
        call = expr if isinstance(expr, cst.Call) else None
        name = node.name.value
        scope = loop_scope = None
        autouse = autouse_dynamic = has_params = False
        if call is not None:
            name_arg = _keyword(call, "name")
            if name_arg is not None and string_value(name_arg.value):
                name = string_value(name_arg.value) or name
            scope = self._keyword_value(call, "scope")
            loop_scope = self._keyword_value(call, "loop_scope")
            autouse_arg = _keyword(call, "autouse")
            if autouse_arg is not None:
                value = autouse_arg.value
                autouse = isinstance(value, cst.Name) and value.value == "True"
                autouse_dynamic = not (isinstance(value, cst.Name) and value.value in ("True", "False"))
            params_arg = _keyword(call, "params")
            has_params = params_arg is not None and not (
                isinstance(params_arg.value, cst.Name) and params_arg.value.value == "None"
            )
        expr_span = self._span(expr)
        if call is None:
            decorator_call = DecoratorCall(expr_span, expr_span, False, (expr_span.end_line, expr_span.end_column), "(")
        elif call.args:
            last = self._span(call.args[-1].value)
            decorator_call = DecoratorCall(expr_span, self._span(call.func), True, (last.end_line, last.end_column), ", ")
        else:
            decorator_call = DecoratorCall(expr_span, self._span(call.func), True, (expr_span.end_line, expr_span.end_column - 1), "")
        def_span = self._span(node.name)
        return FixtureFact(
            name=name,
            func_name=node.name.value,
            owner=owner,
            flavour=flavour,
            scope=scope,
            loop_scope=loop_scope,
            autouse=autouse,
            has_params=has_params,
            is_async=node.asynchronous is not None,
            argnames=argnames,
            getfixturevalue=self.current_requests if self.current_requests is not None else [],
            line=first_line,
            column=self._span(decorator).column,
            def_line=def_span.line,
            decorator=decorator_call,
            autouse_dynamic=autouse_dynamic,
            branch=tuple(self.branch),
        )

    def _keyword_value(self, call: cst.Call, keyword: str) -> Optional[KeywordValue]:
        arg = _keyword(call, keyword)
        if arg is None:
            return None
        value = arg.value
        literal = string_value(value) if isinstance(value, cst.SimpleString) else None
        quote = value.quote if isinstance(value, cst.SimpleString) else '"'
        if literal is None and isinstance(value, cst.Name) and value.value == "None":
            return None
        return KeywordValue(literal, self._span(value), quote)


def _argnames(params: cst.Parameters, strip_first: bool) -> list[str]:
    """Fixture names a function requests, as ``_pytest.compat.getfuncargnames`` computes them."""
    positional: Sequence[cst.Param] = list(params.posonly_params) + list(params.params)
    names = [p.name.value for p in positional if p.default is None]
    if strip_first and positional:
        if positional[0].default is None:
            names = names[1:]
    names += [p.name.value for p in params.kwonly_params if p.default is None]
    return names
