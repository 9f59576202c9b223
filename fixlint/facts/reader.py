"""The one reader: a module's bytes -> its ``FileFacts``, in one ``ast`` traversal. Positions are
1-based character columns (``ast`` counts UTF-8 bytes), as the edits of the fixes need them."""

from __future__ import annotations

import ast
import dataclasses
import itertools
import re
import sys
from typing import Any, Callable, Optional, Protocol, Union

from fixlint.facts.class_shape import wrapper_shape
from fixlint.facts.event_body import function_body
from fixlint.facts.global_reads import globals_read
from fixlint.facts.import_skips import import_skips
from fixlint.facts.model import (
    AsyncioMark,
    Binding,
    CallFact,
    ClassFact,
    DecoratorCall,
    FileFacts,
    FixtureFact,
    FunctionBody,
    FunctionFact,
    ImportFact,
    KeywordValue,
    MarksFact,
    ParametrizeFact,
    Span,
    StringExpression,
    Suppression,
    SyntaxErrorFact,
)
from fixlint.facts.module_names import module_names
from fixlint.facts.source_map import NEWLINE_RE, SourceMap
from fixlint.facts.syntax import (
    COMPOUND,
    FUNCTIONS,
    PATTERNS_WITH_NAMES,
    SourceOrderVisitor,
    call_arguments,
    constant_name,
    dotted_name,
    is_name,
    keyword_value,
    line_groups,
    pattern_names,
    string_collection,
    string_expression,
    string_list,
    string_value,
    unstarred,
)
from fixlint.facts.syntax_error import ModuleError, parse_module
from fixlint.facts.sys_path import sys_path_entries

FIXTURE_DECORATORS = {"pytest.fixture": "pytest", "pytest_asyncio.fixture": "pytest_asyncio"}
# ``mock.patch`` decorators, by the index of their ``new`` argument: without one, each passes a
# mock as the next positional argument, which pytest does not take for a fixture request.
# Methods that give an instance its attributes before a test reads them.
SETUP_METHODS = frozenset({"__init__", "setUp", "asyncSetUp", "setup_method", "setup", "setUpClass", "setup_class"})
MOCK_PATCHES = {"unittest.mock.patch": 1, "mock.patch": 1, "unittest.mock.patch.object": 2, "mock.patch.object": 2}
SUPPRESSION_RE = re.compile(r"#\s*fixlint:\s*ignore(?:\[([^\]]*)\])?")
TRAVERSAL_RECURSION_LIMIT = 20_000
DEF_RE = re.compile(r"(?:async\s+)?def\s+")
TRY_STAR = getattr(ast, "TryStar", ())  # Python 3.11+
MATCH = getattr(ast, "Match", ())

# Module-level statements that run no code of the module's own at import (decorators aside).
DEFINITIONS_AND_IMPORTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)


def read_facts(path: str, data: bytes, function_bodies: bool = True, globals_read: bool = True) -> FileFacts:
    """The facts of a module; of one that this Python cannot compile, only its syntax error.
    Without ``function_bodies``, a function's body is not read (``FunctionBody`` holds its name
    and place only): what the body shows is asked of test code alone, and it is most of a read.
    Without ``globals_read``, which top-level names the module's code reads is not read (asked
    of test modules alone)."""
    try:
        module, text = parse_module(path, data)
    except ModuleError as error:
        return FileFacts(path=path, syntax_error=error.fact)
    # The number of the last line, counted by the line endings Python knows (``str.splitlines``
    # also breaks at form feeds and other separators).
    unterminated = 0 if not text or text.endswith(("\n", "\r")) else len(NEWLINE_RE.findall(text)) + 1
    extractor = _Extractor(path, unterminated, SourceMap(text), module, function_bodies, globals_read)
    # The traversal recurses a few frames per level of nesting, where the compiler needs fewer:
    # room for what this Python compiles (a sum of some thousand terms).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, TRAVERSAL_RECURSION_LIMIT))
    try:
        extractor.run()
    except RecursionError:  # Python compiles it, but it is nested too deeply for this traversal
        return FileFacts(path=path, syntax_error=SyntaxErrorFact("nested too deeply for fixlint to read", 1, 1))
    finally:
        sys.setrecursionlimit(limit)
    return extractor.facts


class _Marks:
    """A ``MarksFact`` being read, with its sequences as the lists they are while it is read."""

    def __init__(self) -> None:
        self.usefixtures: list[str] = []
        self.parametrize: list[ParametrizeFact] = []
        self.names: list[str] = []
        self.fact = MarksFact(self.usefixtures, self.parametrize, self.names)


class _TryStatement(Protocol):
    """``ast.Try``, and ``ast.TryStar`` from Python 3.11."""

    body: list[ast.stmt]
    handlers: list[ast.ExceptHandler]
    orelse: list[ast.stmt]
    finalbody: list[ast.stmt]


class _Extractor(SourceOrderVisitor):
    def __init__(
        self,
        path: str,
        unterminated_line: int,
        source: SourceMap,
        module: ast.Module,
        function_bodies: bool,
        read_globals: bool,
    ) -> None:
        self.function_bodies = function_bodies
        self.read_globals = read_globals
        # The sequences of the facts, as the lists they are while the module is read.
        self.fixtures: list[FixtureFact] = []
        self.function_facts: list[FunctionFact] = []
        self.classes: list[ClassFact] = []
        self.imports: list[ImportFact] = []
        self.module_marks = _Marks()
        self.class_marks: dict[str, _Marks] = {}  # by qualname: the first class of each
        self.pytest_plugins: list[str] = []
        self.suppressions: list[Suppression] = []
        self.calls: list[CallFact] = []
        self.bodies: list[FunctionBody] = []
        self.facts = FileFacts(
            path=path,
            fixtures=self.fixtures,
            functions=self.function_facts,
            classes=self.classes,
            imports=self.imports,
            module_marks=self.module_marks.fact,
            pytest_plugins=self.pytest_plugins,
            suppressions=self.suppressions,
            calls=self.calls,
            unterminated_line=unterminated_line,
            bodies=self.bodies,
        )
        self.source = source
        self.module = module
        self.tab_indent: Optional[bool] = None
        self.aliases: dict[str, str] = {}
        self.class_stack: list[str] = []
        self.class_mock_patches: list[int] = []  # of each class of the stack: ``mock.patch`` patches its test methods
        self.function_depth = 0
        self.mark_variables: dict[str, ast.AST] = {}
        self.functions: list[tuple[str, bool]] = []
        self.not_awaitable = 0
        self.chained: set[int] = set()
        self.branch: list[int] = []
        self.branch_numbers = itertools.count()
        self.current_requests: Optional[list[str]] = None
        # The module's and its classes' own functions by qualname: what ``x = pytest.fixture(f)`` wraps.
        self.level_functions: dict[str, FunctionFact] = {}
        # Names a dynamic request may take: identifier-like string literals, and the names a
        # list, tuple or set holds (``params=[fx_a, fx_b]`` with ``getfixturevalue(request.param.__name__)``).
        self.strings: set[str] = set()
        self.dynamic_requests: Optional[bool] = None  # True: one builds its name, any name
        # Every module- and class-level binding of each name; only names bound to a str
        # expression somewhere go into the facts.
        self.bindings: dict[str, list[Binding]] = {}
        self.assigned: set[int] = set()  # target names whose binding an assignment has recorded
        self.loop_depth = 0
        self.indent = ""  # of the statement being visited: LibCST's code of a node is without it
        self.handlers: dict[type, Callable[[Any], None]] = {
            ast.Import: self.visit_Import,
            ast.ImportFrom: self.visit_ImportFrom,
            ast.Assign: self.visit_Assign,
            ast.AnnAssign: self.visit_AnnAssign,
            ast.If: self.visit_If,
            ast.Try: self.visit_Try,
            ast.For: self.visit_loop,
            ast.AsyncFor: self.visit_loop,
            ast.While: self.visit_loop,
            ast.With: self.visit_with,
            ast.AsyncWith: self.visit_with,
            ast.ClassDef: self.visit_ClassDef,
            ast.FunctionDef: self.visit_FunctionDef,
            ast.AsyncFunctionDef: self.visit_FunctionDef,
            ast.Lambda: self.visit_Lambda,
            ast.arguments: self.visit_arguments,
            ast.Attribute: self.visit_Attribute,
            ast.Subscript: self.visit_Subscript,
            ast.List: self.visit_collection,
            ast.Tuple: self.visit_collection,
            ast.Set: self.visit_collection,
            ast.Name: self.visit_Name,
            ast.Constant: self.visit_Constant,
            ast.arg: self.visit_arg,
            ast.keyword: self.visit_keyword,
            ast.ExceptHandler: self.visit_ExceptHandler,
            ast.Global: self.visit_Global,
            ast.Nonlocal: self.visit_Global,
            ast.Call: self.visit_Call,
            _Block: lambda node: self._branch(node.body),
            _Case: lambda node: self._branch([node.pattern, *([node.guard] if node.guard else []), *node.body]),
            _Name: lambda node: self._reference(node.name),
        }
        if TRY_STAR:
            self.handlers[TRY_STAR] = self.visit_Try
        if MATCH:
            self.handlers[MATCH] = self.visit_Match
            for pattern in PATTERNS_WITH_NAMES:
                self.handlers[pattern] = self.visit_pattern

    def run(self) -> None:
        self._import_lines(self.module.body, docstring_first=True)
        self.facts.setup_end_line = max(
            (
                statement.end_lineno or 0
                for number, statement in enumerate(self.module.body)
                if not isinstance(statement, DEFINITIONS_AND_IMPORTS)
                and not (number == 0 and self._is_docstring(statement))
            ),
            default=0,
        )
        names = module_names(self.module)
        self.facts.module_names, self.facts.exports = names.names, names.exports
        self.facts.dynamic_names = names.dynamic
        if self.read_globals:
            self.facts.globals_read = globals_read(self.module, names.names)
        if names.unbound is not None:
            self.facts.unbound_name, self.facts.unbound_line = names.unbound
        self.facts.sys_path = sys_path_entries(self.module)
        self.facts.import_skips = import_skips(self.module)
        self.visit_all(self.module.body)
        if SUPPRESSION_RE.search(self.source.text):
            for _, line, column, text in self.source.comments():
                self._suppression(line, column, text)
        if self.dynamic_requests is not None:
            self.facts.dynamic_requests = [] if self.dynamic_requests else sorted(self.strings)
        self.facts.constants = {
            key: sorted(bindings, key=lambda binding: binding.line)
            for key, bindings in self.bindings.items()
            if any(binding.value is not None for binding in bindings)
        }

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            outer, self.indent = self.indent, self.source.indent_of(node)
            self._dispatch(node)
            self.indent = outer
        else:
            self._dispatch(node)

    def _dispatch(self, node: ast.AST) -> None:
        handler = self.handlers.get(type(node))
        if handler is not None:
            handler(node)
        else:
            self.visit_children(node)

    def visit_all(self, nodes: list) -> None:
        for node in nodes:
            self.visit(node)
            if not self.function_depth and not self.class_stack and _stops_the_module(node):
                return  # what follows in this block never runs: no test or fixture is defined there

    # -- names -------------------------------------------------------------------------
    def _reference(self, name: Optional[str]) -> None:
        if name and name[:1].isupper():
            self.facts.references[name] = self.facts.references.get(name, 0) + 1

    def _qualified(self, node: ast.AST) -> Optional[str]:
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def visit_Name(self, node: ast.Name) -> None:
        self._reference(node.id)
        if not self.function_depth and type(node.ctx) is not ast.Load and id(node) not in self.assigned:
            self._bind(node.id, node.lineno)  # a loop target, ``with ... as``, ``del``, ``+=``...

    def _bind(self, name: str, line: int, value: Optional[list[tuple[bool, str]]] = None) -> None:
        """A module- or class-level binding of ``name`` (a class's names as ``Class.NAME``)."""
        if self.function_depth:
            return
        conditional = bool(self.branch) or self.loop_depth > 0
        expression = None if value is None else StringExpression(value)
        key = ".".join([*self.class_stack, name])
        self.bindings.setdefault(key, []).append(Binding(line, expression, conditional))

    def visit_Constant(self, node: ast.Constant) -> None:
        self._reference(constant_name(node))
        if isinstance(node.value, str) and node.value.isidentifier():
            self.strings.add(node.value)

    def visit_arg(self, node: ast.arg) -> None:
        self._reference(node.arg)
        if node.annotation is not None:
            self.visit(node.annotation)

    def visit_keyword(self, node: ast.keyword) -> None:
        self._reference(node.arg)
        self.visit(node.value)

    def visit_Global(self, node: Union[ast.Global, ast.Nonlocal]) -> None:
        for name in node.names:
            self._reference(name)
            if isinstance(node, ast.Global) and self.function_depth:
                # A function may rebind it whenever it is called.
                self.bindings.setdefault(name, []).append(Binding(0, None, True))

    def visit_pattern(self, node: ast.AST) -> None:
        self.visit_children(node)
        for name in pattern_names(node):
            self._reference(name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.chained.add(id(node.value))
        self.visit(node.value)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self.chained.add(id(node.value))
        self.visit_children(node)

    def visit_collection(self, node: Union[ast.List, ast.Tuple, ast.Set]) -> None:
        for element in node.elts:
            element = unstarred(element)
            if isinstance(element, ast.Name) and type(element.ctx) is ast.Load:
                self.strings.add(element.id)
        self.visit_children(node)

    # -- imports -------------------------------------------------------------------------
    def _import_lines(self, statements: list, docstring_first: bool = False) -> None:
        """``last_import_line``: the end of the last line of unconditional imports, else of the
        module docstring."""
        if self.function_depth or self.class_stack or self.branch:
            return
        if statements and not self.source.starts_line(statements[0]):
            return  # ``with x: import y``, a one-line body: LibCST's statement suite
        for index, group in enumerate(line_groups(statements)):
            if isinstance(group[0], COMPOUND):
                continue
            if any(isinstance(statement, (ast.Import, ast.ImportFrom)) for statement in group):
                self.facts.last_import_line = max(self.facts.last_import_line, group[-1].end_lineno)
            elif docstring_first and index == 0 and len(group) == 1 and self._is_docstring(group[0]):
                self.facts.last_import_line = max(self.facts.last_import_line, group[0].end_lineno)

    def _is_docstring(self, statement: ast.AST) -> bool:
        value = statement.value if isinstance(statement, ast.Expr) else None
        return (
            isinstance(value, ast.Constant)
            and isinstance(value.value, (str, bytes))
            and self.source.literal_parts(value) is None
        )

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            full = alias.name
            if alias.asname is not None:
                self.aliases[alias.asname] = full
                bound = alias.asname
            else:
                head = full.split(".")[0]
                self.aliases[head] = head
                bound = head
            self._bind(bound, node.lineno)
            if self.function_depth == 0 and not self.class_stack:
                span = self.source.span(node)
                self.imports.append(
                    ImportFact(full, 0, [(full, bound)], False, span.line, span.column, bool(self.branch))
                )

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._reference(module.split(".")[0])
        level = node.level or 0
        names: list[tuple[str, str]] = []
        star = len(node.names) == 1 and node.names[0].name == "*"
        if not star:
            for alias in node.names:
                bound = alias.asname or alias.name
                names.append((alias.name, bound))
                self._bind(bound, node.lineno)
                if level == 0 and module:
                    self.aliases[bound] = f"{module}.{alias.name}"
        if self.function_depth == 0 and not self.class_stack:
            span = self.source.span(node)
            reexports = [alias.name for alias in node.names if alias.asname == alias.name]
            self.imports.append(
                ImportFact(module, level, names, star, span.line, span.column, bool(self.branch), reexports)
            )

    # -- comments ------------------------------------------------------------------------
    def _suppression(self, line: int, column: int, text: str) -> None:
        match = SUPPRESSION_RE.search(text)
        if not match:
            return
        rules = None
        if match.group(1) is not None:
            rules = tuple(part.strip() for part in match.group(1).split(",") if part.strip())
        self.suppressions.append(Suppression(line, column + match.start(), rules))

    # -- module and class level assignments ----------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        if not self.function_depth:
            self._assignment(node)
        self.visit_children(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not self.function_depth and isinstance(node.target, ast.Name):
            self.assigned.add(id(node.target))
            if node.value is not None:  # a bare annotation binds nothing
                self._bind(node.target.id, node.lineno, string_expression(node.value))
        self.visit_children(node)

    def _assignment(self, node: ast.Assign) -> None:
        named = any(isinstance(target, ast.Name) for target in node.targets)
        value = string_expression(node.value) if named else None
        for target in node.targets:
            if not isinstance(target, ast.Name):
                continue
            name = target.id
            self.assigned.add(id(target))
            self._bind(name, node.lineno, value)
            if name == "pytestmark":
                marks = self.class_marks[".".join(self.class_stack)] if self.class_stack else self.module_marks
                values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else None
                for expr in [unstarred(e) for e in values] if values is not None else [node.value]:
                    self._read_mark(expr, marks)
            elif name == "pytest_plugins" and not self.class_stack:
                self.pytest_plugins.extend(string_list(node.value) or [])
            elif self._assigned_fixture(target, node.value):
                pass
            elif not self.class_stack and self._qualified(node.value) in FIXTURE_DECORATORS:
                # ``fixture = pytest.fixture``: the decorator by another name (an old plugin's
                # version switch; a branch naming another decorator does not undo it)
                self.aliases[name] = self._qualified(node.value) or ""
            elif not self.class_stack and isinstance(node.value, (ast.Call, ast.Attribute)):
                self.mark_variables[name] = node.value
            strings = string_collection(node.value)
            if strings is None and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                strings = [node.value.value]  # ``AGENT_STARTED = "agent_started"``, an enum's member
            if strings is not None:
                self.facts.string_constants[".".join([*self.class_stack, name])] = strings

    def _read_mark(self, expr: ast.AST, marks: _Marks) -> None:
        written = expr  # the mark as written here, where an edit of it changes only what it marks
        if isinstance(expr, ast.Name):
            expr = self.mark_variables.get(expr.id, expr)
        qualified = self._qualified(expr.func if isinstance(expr, ast.Call) else expr)
        if qualified and qualified.startswith("pytest.mark.") and qualified.count(".") == 2:
            marks.names.append(qualified.rpartition(".")[2])
        if qualified == "pytest.mark.asyncio":
            call = expr if isinstance(expr, ast.Call) else None
            loop_scope = None
            if call is not None:
                loop_scope = self._keyword_value(call, "loop_scope") or self._keyword_value(call, "scope")
            where = self._decorator_call(expr) if written is expr and isinstance(expr, ast.expr) else None
            marks.fact.asyncio = AsyncioMark(loop_scope, where)
        if not isinstance(expr, ast.Call):
            return
        if qualified == "pytest.mark.usefixtures":
            for keyword, value, _ in call_arguments(expr):
                literal = string_value(value)
                if literal is not None and keyword is None:
                    marks.usefixtures.append(literal)
        elif qualified == "pytest.mark.parametrize":
            parametrize = _parametrize(expr)
            if parametrize is not None:
                marks.parametrize.append(parametrize)

    # -- conditional definitions ------------------------------------------------------------
    def _branch(self, nodes: list) -> None:
        """Visit ``nodes`` as one branch (an ``else``, an ``except``...) of their own."""
        if self.function_depth:
            self.visit_all(nodes)
            return
        self.branch.append(next(self.branch_numbers))
        self.visit_all(nodes)
        self.branch.pop()

    def visit_If(self, node: ast.If) -> None:
        orelse = node.orelse
        is_elif = (
            len(orelse) == 1
            and isinstance(orelse[0], ast.If)
            and self.source.line(orelse[0].lineno)[
                self.source.column(orelse[0].lineno, orelse[0].col_offset) :
            ].startswith("elif")
        )
        parts: list = [node.test, *node.body]
        if is_elif:
            self._branch([*parts, orelse[0]])
        elif orelse:
            self._branch([*parts, _Block(orelse)])
        else:
            self._branch(parts)

    def visit_Try(self, node: _TryStatement) -> None:
        parts: list = [*node.body, *node.handlers]
        if node.orelse:
            parts.append(_Block(node.orelse))
        if node.finalbody:
            parts.append(_Block(node.finalbody))
        self._branch(parts)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        parts: list = [node.type] if node.type is not None else []
        self._branch([*parts, _Name(node.name), *node.body])

    def visit_Match(self, node: ast.Match) -> None:  # Python 3.10+: registered only where ``ast.Match`` is
        self._branch([node.subject, *[_Case(case) for case in node.cases]])

    def visit_loop(self, node: Union[ast.For, ast.AsyncFor, ast.While]) -> None:
        heads = [node.test] if isinstance(node, ast.While) else [node.target, node.iter]
        self.loop_depth += 1  # what it binds, it binds any number of times
        self.visit_all(heads)
        self._import_lines(node.body)
        self.visit_all(node.body)
        if node.orelse:
            self._branch(node.orelse)
        self.loop_depth -= 1

    def visit_with(self, node: Union[ast.With, ast.AsyncWith]) -> None:
        self.visit_all(node.items)
        self._import_lines(node.body)
        self.visit_all(node.body)

    # -- classes ---------------------------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.function_depth:
            self._local_class(node)
            return
        self._bind(node.name, node.lineno)
        self.class_stack.append(node.name)
        self.class_mock_patches.append(self._mock_patches(node.decorator_list))
        marks = _Marks()
        for decorator in node.decorator_list:
            self._read_mark(decorator, marks)
        self.class_marks.setdefault(".".join(self.class_stack), marks)
        has_init = any(
            isinstance(statement, FUNCTIONS) and statement.name in ("__init__", "__new__") for statement in node.body
        )
        bases = [dotted_name(unstarred(base)) or "" for base in node.bases]
        span = self.source.span(node)
        first = self._at(node.decorator_list[0]) if node.decorator_list else (span.line, span.column)
        self.classes.append(
            ClassFact(
                ".".join(self.class_stack),
                span.line,
                bases,
                marks.fact,
                has_init,
                column=span.column,
                span=Span(first[0], first[1], span.end_line, span.end_column),
                wrapper=wrapper_shape(node),
                enum=self._enum_kind(node),
            )
        )
        self.visit_children(node)
        self.class_stack.pop()
        self.class_mock_patches.pop()

    def _local_class(self, node: ast.ClassDef) -> None:
        """A class defined in a function body, as Python names it (``test_x.<locals>.Mock``): pytest
        collects none, but the legacy-mock rules look for mocks wherever they are defined."""
        span = self.source.span(node)
        self.classes.append(
            ClassFact(
                f"{self.functions[-1][0]}.<locals>.{node.name}",
                span.line,
                [dotted_name(unstarred(base)) or "" for base in node.bases],
                _Marks().fact,
                has_init=any(
                    isinstance(statement, FUNCTIONS) and statement.name in ("__init__", "__new__")
                    for statement in node.body
                ),
                column=span.column,
                span=span,
                wrapper=wrapper_shape(node),
            )
        )

    def _enum_kind(self, node: ast.ClassDef) -> str:
        bases = {self._qualified(base) or dotted_name(base) for base in node.bases}
        if "enum.StrEnum" in bases:
            return "str"
        if "enum.Enum" in bases:
            return "mixin" if "str" in bases else "other"
        return ""

    def _at(self, decorator: ast.expr) -> tuple[int, int]:
        """(line, column) of a decorator's ``@``."""
        start = self.source.offset(decorator.lineno, decorator.col_offset)
        at = self.source.text.rindex("@", 0, start)
        return self.source.position(at)

    # -- functions ---------------------------------------------------------------------
    def visit_FunctionDef(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> None:
        self._bind(node.name, node.lineno)
        self.function_depth += 1
        enclosing = self.functions[-1][0] if self.functions else ".".join(self.class_stack)
        qualname = f"{enclosing}.{node.name}" if enclosing else node.name
        self.functions.append((qualname, isinstance(node, ast.AsyncFunctionDef)))
        if self.function_depth == 1:
            self._function(node, qualname)
            if self.class_stack and node.name in SETUP_METHODS:
                self._instance_constants(node)
        self.visit_children(node)
        self.function_depth -= 1
        self.functions.pop()
        if self.function_depth == 0:
            self.current_requests = None

    def _instance_constants(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> None:
        """``self.REQUIRED = {"a", "b"}`` in ``__init__`` or a setup method: read as the class's
        constant where the class defines none of that name (a validator's required set)."""
        for statement in node.body:
            if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
                continue
            target = statement.targets[0]
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
                continue
            strings = string_collection(statement.value)
            if target.value.id in ("self", "cls") and strings is not None:
                self.facts.string_constants.setdefault(".".join([*self.class_stack, target.attr]), strings)

    def _function(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef], qualname: str) -> None:
        owner = ".".join(self.class_stack) or None
        is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
        mock_patches = self._mock_patches(node.decorator_list)
        if owner is not None and node.name.startswith("test"):  # ``patch.TEST_PREFIX``
            mock_patches += self.class_mock_patches[-1]
        argnames = _argnames(node.args, owner is not None and not is_static, mock_patches)
        self.current_requests = []
        fixture_decorator = None
        marks = _Marks()
        wrapped = False  # by a decorator that may read the arguments
        for decorator in node.decorator_list:
            func = decorator.func if isinstance(decorator, ast.Call) else decorator
            qualified = self._qualified(func) or ""
            flavour = FIXTURE_DECORATORS.get(qualified)
            if flavour is not None:
                fixture_decorator = (decorator, flavour)
            else:
                self._read_mark(decorator, marks)
                is_mark = qualified.startswith("pytest.mark.") or (
                    isinstance(func, ast.Name) and func.id in self.mark_variables
                )
                wrapped = wrapped or not (is_mark or qualified in MOCK_PATCHES)
        first_line = self._at(node.decorator_list[0])[0] if node.decorator_list else node.lineno
        # The indentation before the first decorator's ``@`` (or ``def``): a decorator added goes there.
        if node.decorator_list:
            at_line, at_column = self._at(node.decorator_list[0])
            first = self.source.line_starts[at_line - 1] + at_column - 1
        else:
            first = self.source.offset(node.lineno, node.col_offset)
        indent = self.source.text[self.source.text.rfind("\n", 0, first) + 1 : first]
        name_span = self._name_span(node)
        if self.tab_indent is None:
            self.tab_indent = self.source.indent_is_tab(self.module)
        self.bodies.append(
            function_body(node, qualname, name_span, self.tab_indent, self.source)
            if self.function_bodies
            else FunctionBody(qualname, name_span.line, name_span.column, isinstance(node, ast.AsyncFunctionDef), 0, "")
        )
        is_async = isinstance(node, ast.AsyncFunctionDef)
        if node.name == "event_loop" and fixture_decorator is not None:
            self.facts.has_event_loop_fixture = True
        if fixture_decorator is not None:
            decorator, flavour = fixture_decorator
            self.fixtures.append(
                self._fixture(
                    decorator,
                    flavour,
                    owner,
                    node.name,
                    argnames,
                    self.current_requests,
                    is_async,
                    (first_line, self._at(decorator)[1], name_span.line),
                )
            )
        else:
            self.function_facts.append(
                FunctionFact(
                    name=node.name,
                    owner=owner,
                    line=name_span.line,
                    column=name_span.column,
                    argnames=argnames,
                    getfixturevalue=self.current_requests,
                    marks=marks.fact,
                    is_async=is_async,
                    unread=[] if wrapped else _unread(node, argnames),
                    decorator_line=first_line,
                    decorator_indent=indent if not indent.strip() else None,
                )
            )
            self.level_functions[qualname] = self.function_facts[-1]

    def _mock_patches(self, decorators: list[ast.expr]) -> int:
        """How many mocks ``mock.patch`` decorators pass (``_pytest.compat.num_mock_patch_args``)."""
        count = 0
        for decorator in decorators:
            if not isinstance(decorator, ast.Call):
                continue
            new_index = MOCK_PATCHES.get(self._qualified(decorator.func) or "")
            if new_index is None:
                continue
            positional = [value for keyword, value, star in call_arguments(decorator) if keyword is None and not star]
            if len(positional) <= new_index and keyword_value(decorator, "new") is None:
                count += 1
        return count

    def _name_span(self, node: Union[ast.FunctionDef, ast.AsyncFunctionDef]) -> Span:
        start = self.source.offset(node.lineno, node.col_offset)
        found = DEF_RE.match(self.source.text, start)
        line, column = self.source.position(found.end() if found else start)
        return Span(line, column, line, column + len(node.name))

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.not_awaitable += 1
        self.visit_children(node)
        self.not_awaitable -= 1

    visit_arguments = visit_Lambda  # neither a default nor an annotation can ``await``

    def visit_Call(self, node: ast.Call) -> None:
        self.chained.add(id(node.func))
        callee = dotted_name(node.func)
        arguments = call_arguments(node)
        if callee and callee.rpartition(".")[2][:1].isupper():
            start, end = self.source.bounds(node)
            own_parenthesis = self.source.text.index("(", self.source.bounds(node.func)[1])
            self.calls.append(
                CallFact(
                    callee=callee,
                    span=self.source.span(node),
                    args=[
                        (keyword, self.source.code(value, own_parenthesis, self.indent))
                        for keyword, value, star in arguments
                        if not star
                    ],
                    has_star_args=any(star for _, _, star in arguments),
                    function=self.functions[-1][0] if self.functions else None,
                    in_async=bool(self.functions) and self.functions[-1][1] and not self.not_awaitable,
                    has_comments=self.source.has_comment(start, end, self.module),
                    chained=id(node) in self.chained,
                )
            )
        if (
            self.current_requests is not None
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "getfixturevalue"
            and arguments
        ):
            value = string_value(arguments[0][1])
            if value is not None:
                self.current_requests.append(value)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "getfixturevalue" and arguments:
            argument = arguments[0][1]
            if string_value(argument) is None:
                # A name, a subscript or ``request.param`` takes one of the module's strings (as far
                # as a module says); a name built from parts may be any.
                built = not isinstance(argument, (ast.Name, ast.Attribute, ast.Subscript))
                self.dynamic_requests = bool(self.dynamic_requests) or built
        self.visit_children(node)

    def _assigned_fixture(self, target: ast.Name, value: ast.expr) -> bool:
        """``x = pytest.fixture(f)`` or ``x = pytest.fixture(scope=...)(f)``: pytest registers the
        attribute ``x`` of the module (or class) as a fixture, named ``x`` unless ``name=`` says."""
        if not isinstance(value, ast.Call) or len(value.args) != 1 or self.function_depth:
            return False
        decorator: ast.expr = value
        flavour = FIXTURE_DECORATORS.get(self._qualified(value.func) or "")
        if flavour is None and isinstance(value.func, ast.Call) and not value.keywords:
            decorator = value.func
            flavour = FIXTURE_DECORATORS.get(self._qualified(value.func.func) or "")
            if value.func.args:
                return False  # ``pytest.fixture(f)(g)``: not a fixture pytest makes
        if flavour is None or isinstance(value.args[0], ast.Starred):
            return False
        wrapped = value.args[0]
        function = None
        if isinstance(wrapped, ast.Name):
            function = self.level_functions.get(".".join([*self.class_stack, wrapped.id]))
        argnames: list[str] = []
        requests: list[str] = []
        is_async = False
        if function is not None:
            argnames, requests, is_async = list(function.argnames), list(function.getfixturevalue), function.is_async
        elif isinstance(wrapped, ast.Lambda):
            argnames = _argnames(wrapped.args, strip_first=False)
        span = self.source.span(target)
        owner = ".".join(self.class_stack) or None
        where = (span.line, span.column, span.line)
        fact = self._fixture(decorator, flavour, owner, target.id, argnames, requests, is_async, where)
        unread = function is None and not isinstance(wrapped, ast.Lambda)
        self.fixtures.append(dataclasses.replace(fact, assigned=True, requests_unread=unread))
        return True

    def _fixture(
        self,
        decorator: ast.expr,
        flavour: str,
        owner: Optional[str],
        func_name: str,
        argnames: list[str],
        requests: Optional[list[str]],
        is_async: bool,
        where: tuple[int, int, int],  # the first decorator's line and the column of its ``@``; the def's line
    ) -> FixtureFact:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = func_name
        scope = loop_scope = None
        autouse = autouse_dynamic = has_params = False
        if call is not None:
            name_value = string_value(keyword_value(call, "name"))
            if name_value:
                name = name_value
            scope = self._keyword_value(call, "scope")
            loop_scope = self._keyword_value(call, "loop_scope")
            autouse_value = keyword_value(call, "autouse")
            if autouse_value is not None:
                autouse = is_name(autouse_value, "True")
                autouse_dynamic = not (is_name(autouse_value, "True") or is_name(autouse_value, "False"))
            params_value = keyword_value(call, "params")
            has_params = params_value is not None and not is_name(params_value, "None")
        return FixtureFact(
            name=name,
            func_name=func_name,
            owner=owner,
            flavour=flavour,
            scope=scope,
            loop_scope=loop_scope,
            autouse=autouse,
            has_params=has_params,
            is_async=is_async,
            argnames=argnames,
            getfixturevalue=requests if requests is not None else [],
            line=where[0],
            column=where[1],
            def_line=where[2],
            decorator=self._decorator_call(decorator),
            autouse_dynamic=autouse_dynamic,
            branch=tuple(self.branch),
        )

    def _decorator_call(self, decorator: ast.expr) -> DecoratorCall:
        """Where a keyword argument can be added to a decorator (or a mark)."""
        call = decorator if isinstance(decorator, ast.Call) else None
        expr_span = self.source.span(decorator)
        arguments = call_arguments(call) if call is not None else []
        if call is None:
            return DecoratorCall(expr_span, expr_span, False, (expr_span.end_line, expr_span.end_column), "(")
        if arguments:
            last = self.source.span(arguments[-1][1])
            return DecoratorCall(expr_span, self.source.span(call.func), True, (last.end_line, last.end_column), ", ")
        return DecoratorCall(
            expr_span, self.source.span(call.func), True, (expr_span.end_line, expr_span.end_column - 1), ""
        )

    def _keyword_value(self, call: ast.Call, keyword: str) -> Optional[KeywordValue]:
        value = keyword_value(call, keyword)
        if value is None:
            return None
        simple = (
            isinstance(value, ast.Constant)
            and isinstance(value.value, (str, bytes))
            and self.source.literal_parts(value) is None
        )
        literal = string_value(value) if simple else None
        quote = self.source.quote(value) if simple else '"'
        if literal is None and is_name(value, "None"):
            return None
        expression = None
        if literal is None:
            parts = string_expression(value)
            expression = StringExpression(parts) if parts is not None else None
        return KeywordValue(literal, self.source.span(value), quote, expression)


class _Block(ast.AST):
    """An ``else:`` or ``finally:`` block: a branch of its own, as LibCST's ``Else``/``Finally``."""

    def __init__(self, body: list) -> None:
        super().__init__()
        self.body = body


class _Case(ast.AST):
    """A ``case``: a branch of its own."""

    def __init__(self, case: ast.match_case) -> None:
        super().__init__()
        self.pattern, self.guard, self.body = case.pattern, case.guard, case.body


class _Name(ast.AST):
    """The ``as`` name of an ``except``, read as LibCST reads it: a name."""

    def __init__(self, name: Optional[str]) -> None:
        super().__init__()
        self.name = name


def _parametrize(call: ast.Call) -> Optional[ParametrizeFact]:
    arguments = call_arguments(call)
    positional = [value for keyword, value, star in arguments if keyword is None and star != "**"]
    node = keyword_value(call, "argnames") or (positional[0] if positional else None)
    if node is None:
        return None
    names = string_list(node)
    if names is None:
        return None
    if len(names) == 1:
        names = [name.strip() for name in names[0].split(",") if name.strip()]
    indirect: Union[bool, list[str]] = False
    indirect_value = keyword_value(call, "indirect")
    if indirect_value is not None:
        if is_name(indirect_value, "True") or is_name(indirect_value, "False"):
            indirect = is_name(indirect_value, "True")
        else:
            indirect = string_list(indirect_value) or False
    scope = string_value(keyword_value(call, "scope"))
    return ParametrizeFact(names, indirect, scope)


# Calls that read a function's locals without naming them.
READ_LOCALS = {"locals", "vars", "eval", "exec", "sys._getframe", "inspect.currentframe"}


def _unread(node: Union[ast.FunctionDef, ast.AsyncFunctionDef], argnames: list[str]) -> list[str]:
    """The arguments the body never reads by name (nested functions and lambdas included)."""
    if not argnames:
        return []
    read: set[str] = set()
    for statement in node.body:
        for child in ast.walk(statement):
            if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Store):
                read.add(child.id)
            elif isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
                read.add(child.target.id)
            elif isinstance(child, (ast.Nonlocal, ast.Global)):
                read.update(child.names)
            elif isinstance(child, ast.Call) and dotted_name(child.func) in READ_LOCALS:
                return []
    return [name for name in argnames if name not in read]


def _argnames(arguments: ast.arguments, strip_first: bool, mock_patches: int = 0) -> list[str]:
    """Fixture names a function requests, as ``_pytest.compat.getfuncargnames`` computes them:
    neither positional-only parameters nor those with defaults, nor the bound first one, nor the
    mocks ``mock.patch`` decorators pass."""
    positional = [*arguments.posonlyargs, *arguments.args]
    required = len(positional) - len(arguments.defaults)
    names = [parameter.arg for parameter in positional[len(arguments.posonlyargs) : max(required, 0)]]
    names += [
        parameter.arg for parameter, default in zip(arguments.kwonlyargs, arguments.kw_defaults) if default is None
    ]
    if strip_first and not arguments.posonlyargs:
        names = names[1:]
    return names[mock_patches:]


def _stops_the_module(node: ast.AST) -> bool:
    """A module-level ``raise`` or ``pytest.skip(..., allow_module_level=True)``: importing the
    module stops there (pytest then skips it or reports the error)."""
    if isinstance(node, ast.Raise):
        return True
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    call = node.value
    return dotted_name(call.func) in ("pytest.skip", "skip") and any(
        keyword.arg == "allow_module_level" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True
        for keyword in call.keywords
    )
