"""What one function's body shows about events: what it calls and sends, and how it checks
what was sent (``assert "agent_started" in types``, loops over a required list, asserts
that read a constant through locals, assert calls, helpers). Nested functions, lambdas and
classes are their own business: their statements are not the function's."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from typing import Optional, Union

from fixlint.facts.model import CallArgs, EventCheck, EventLoop, FunctionBody, Span
from fixlint.facts.source_map import SourceMap, string_prefix
from fixlint.facts.syntax import (
    FUNCTIONS,
    PATTERNS_WITH_NAMES,
    SourceOrderVisitor,
    call_arguments,
    constant_name,
    dotted_name,
    line_groups,
    pattern_names,
    string_value,
)

# What the standard helper reads off each event; a list of types read another way (``e["type"]``,
# ``e.event_type``) does not check what the helper checks.
HELPER_KEY = "event_type"
NEGATING = (ast.NotIn, ast.NotEq, ast.IsNot)
NESTED_SCOPES = (*FUNCTIONS, ast.ClassDef, ast.Lambda)
# ``assertNotIn``, ``assert_not_called``: an assert call that proves an absence.
NEGATED_ASSERT = re.compile(r"^assert_?not", re.I)
# Calls that add their arguments to the collection they are called on.
ADDING = ("append", "add", "extend", "update", "insert", "appendleft")
SENDING_VERBS = ("notify", "send", "emit", "publish", "dispatch", "broadcast", "fire", "trigger")
# Calls that send what they are given (``await manager.send(event)``, a scripted replay).
SENDING_RE = re.compile(rf"^_*(?:{'|'.join(SENDING_VERBS)}|replay)", re.I)
# Calls whose result still holds what they are given (``set(types)``, ``REQUIRED - seen``,
# ``REQUIRED.difference(seen)``); what another call returns is its own business, and a count
# (``len``, ``sum``) holds none of the names it counts.
TRANSPARENT = frozenset(
    "set list tuple frozenset sorted reversed any all min max enumerate zip filter map dict str iter next "
    "Counter difference union intersection symmetric_difference issubset issuperset isdisjoint keys values "
    "items copy get".split()
)
COUNTING = frozenset({"len", "sum"})
# A verdict: what a validator returns for its caller to assert (``return not missing``).
VERDICT_CALLS = frozenset({"all", "any", "issubset", "issuperset", "isdisjoint", "bool"})
# What a local assigned a mock is made by (``MagicMock()``, ``create_compliance_mock()``, ``mocker.patch(...)``).
MOCK_FACTORY = re.compile(r"mock|^create_autospec$|^patch$", re.I)


def is_assert_call(callee: str) -> bool:
    """``self.assertEqual``, ``assert_events_sent``, ``mock.assert_called_with``."""
    return callee.rpartition(".")[2].lower().startswith("assert")


def _constant_part(name: str) -> Optional[str]:
    """The part of a dotted name that names a constant: up to its last upper-case part
    (``EventType.AGENT_STARTED`` of ``EventType.AGENT_STARTED.value``)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if parts[end - 1].isupper():
            return ".".join(parts[:end])
    return None


Held = tuple[set[str], set[str], set[str]]  # strings, names, and names only counted (``len(x)``)


def _values(node: ast.AST, through_calls: bool = False) -> Held:
    """The identifier-like strings and the names an expression holds: through the calls whose
    result holds their arguments (``TRANSPARENT``), or, ``through_calls``, every call's (what a
    call is given, whatever it returns). What a count counts (``len(x)``) is apart: the number
    of a list of literals holds none of them."""
    strings: set[str] = set()
    names: set[str] = set()
    counted: set[str] = set()
    bound: set[str] = set()  # by its own comprehensions: ``e`` of ``[e["type"] for e in sent]``
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.comprehension):
            bound.update(name.id for name in ast.walk(current.target) if isinstance(name, ast.Name))
            stack.append(current.iter)
            stack.extend(current.ifs)
        elif isinstance(current, ast.Constant):
            if isinstance(current.value, str) and current.value.isidentifier():
                strings.add(current.value)
        elif isinstance(current, ast.Name):
            names.add(current.id)
        elif isinstance(current, ast.Attribute):
            dotted = dotted_name(current)
            if dotted is None:
                stack.append(current.value)
            else:
                names.add(dotted)
        elif isinstance(current, ast.Call):
            func = current.func
            short = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if short in COUNTING and not through_calls:
                for argument in [*current.args, *(keyword.value for keyword in current.keywords)]:
                    _, read, read_counted = _values(argument)
                    counted |= read | read_counted
            elif through_calls or short in TRANSPARENT:
                stack.extend(current.args)
                stack.extend(keyword.value for keyword in current.keywords)
                if isinstance(func, ast.Attribute) and short in TRANSPARENT:
                    stack.append(func.value)  # ``REQUIRED.difference(seen)`` holds REQUIRED
        elif isinstance(current, ast.JoinedStr):
            stack.extend(value.value for value in current.values if isinstance(value, ast.FormattedValue))
        else:
            stack.extend(ast.iter_child_nodes(current))
    return strings, names - bound, counted - bound


def _single_literal(node: ast.AST, source: SourceMap) -> bool:
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and source.literal_parts(node) is None
    )


def _key_read(node: ast.AST, source: SourceMap) -> Optional[str]:
    """``type`` of ``e["type"]`` or ``e.get("type")``."""
    if isinstance(node, ast.Subscript):
        key = node.slice
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        arguments = call_arguments(node)
        if len(arguments) != 1:
            return None
        key = arguments[0][1]
    else:
        return None
    return string_value(key) if _single_literal(key, source) else None


def _reads_helper_key(node: ast.AST, source: SourceMap) -> bool:
    """``e["event_type"]`` or ``e.get("event_type")``."""
    return _key_read(node, source) == HELPER_KEY


class _BodyVisitor(SourceOrderVisitor):
    def __init__(self, top: set[int], source: SourceMap) -> None:
        self.top = top
        self.source = source
        self.assert_depth = 0
        self.negated = 0
        # What the body shows (``FunctionBody``'s fields), as the lists they are while it is read.
        self.called: list[str] = []
        self.asserted_strings: list[str] = []
        self.names: list[str] = []
        self.has_assert = False
        self.event_checks: list[EventCheck] = []
        self.event_loops: list[EventLoop] = []
        self.locals: list[str] = []
        self.derived: dict[str, str] = {}
        self.keys: list[str] = []
        self.mock_locals: list[str] = []
        self.instances: dict[str, str] = {}  # local -> the class it was made by, as written
        # What each local is given (assigned, iterated from, added to), for the checks that read it.
        self.local_values: dict[str, Held] = {}
        self.asserted_raw: list[str] = []  # names read inside asserts and assert calls
        self.containers: set[int] = set()  # the right sides of ``in`` tests
        self.returned_raw: set[str] = set()  # names its ``return`` statements read
        self.returned_strings: set[str] = set()
        self.returned_counted: set[str] = set()
        self.raw_calls: list[tuple[str, list[ast.AST]]] = []
        self.opaque = 0  # inside the arguments of a call whose result does not hold them
        self.verdict_locals: set[str] = set()  # assigned a verdict (``ok = not missing``)
        self.counting = 0  # inside ``len(...)`` in an assert
        self.counted_raw: list[str] = []  # names read so

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in NESTED_SCOPES:
            return
        negates = False
        if isinstance(node, (ast.Call, ast.Subscript)):
            key = _key_read(node, self.source)
            if key is not None:
                self.keys.append(key)
        elif isinstance(node, ast.Dict):
            self.keys += [key for key in map(string_value, node.keys) if key is not None]
        if isinstance(node, ast.Call):
            callee = dotted_name(node.func)
            if callee is None and isinstance(node.func, ast.Attribute):
                callee = f"<expression>.{node.func.attr}"
            if callee:
                self.called.append(callee)
                short = callee.rpartition(".")[2]
                if short == "fail":  # ``pytest.fail``, ``self.fail`` (unittest)
                    self.has_assert = True
                arguments: list[ast.AST] = [*node.args, *(keyword.value for keyword in node.keywords)]
                if arguments:
                    self.raw_calls.append((callee, arguments))
                self._adding(node, arguments)
                if is_assert_call(callee):
                    self._assert_call(node, callee)
                    return
                if self.asserting and callee == "len":
                    self.visit(node.func)
                    self.counting += 1
                    for argument in arguments:
                        self.visit(argument)
                    self.counting -= 1
                    return
                if self.assert_depth and short not in TRANSPARENT:
                    # ``assert validator.check(config)``: the verdict is asserted, not what it is given.
                    self.visit(node.func)
                    self.opaque += 1
                    for argument in arguments:
                        self.visit(argument)
                    self.opaque -= 1
                    return
        elif isinstance(node, ast.Name):
            self.names.append(node.id)
            if self.asserting and id(node) not in self.containers:
                (self.counted_raw if self.counting else self.asserted_raw).append(node.id)
        elif isinstance(node, ast.Attribute):
            owner = dotted_name(node.value)
            if owner is not None:
                self.names.append(f"{owner}.{node.attr}")
                if self.asserting and id(node) not in self.containers:
                    (self.counted_raw if self.counting else self.asserted_raw).append(f"{owner}.{node.attr}")
                    if not self.negated and not self.counting:
                        self.asserted_strings.append(node.attr)  # ``assert seen.agent_started``: a flag
            self.visit(node.value)
            return
        elif isinstance(node, ast.Constant):
            self._constant(node)
            return
        elif isinstance(node, ast.JoinedStr):
            self._formatted(node)
            return
        elif isinstance(node, ast.Compare):
            negates = any(isinstance(op, NEGATING) for op in node.ops)
            # ``assert event in REQUIRED`` asks whether one value is required, not whether each was sent.
            for op, comparator in zip(node.ops, node.comparators):
                if isinstance(op, (ast.In, ast.NotIn)) and isinstance(comparator, (ast.Name, ast.Attribute)):
                    self.containers.add(id(comparator))
        elif isinstance(node, ast.UnaryOp):
            negates = isinstance(node.op, ast.Not)
        elif isinstance(node, ast.Assert):
            self.has_assert = True
            self._event_check(node)
            self.assert_depth += 1
            self.visit(node.test)
            self.assert_depth -= 1
            if node.msg is not None:  # what a failure says is no check
                self.visit(node.msg)
            return
        elif isinstance(node, ast.Return):
            value = node.value
            for part in value.elts if isinstance(value, ast.Tuple) else [value] if value is not None else []:
                if _is_verdict(part):
                    strings, names, counted = _values(part)
                    self.returned_strings |= strings
                    self.returned_raw |= names
                    self.returned_counted |= counted
                elif isinstance(part, ast.Name) and part.id in self.verdict_locals:
                    self.returned_raw.add(part.id)
        elif isinstance(node, ast.Raise):
            if node.exc is not None and "AssertionError" in self.source.code(node.exc):
                self.has_assert = True
        elif isinstance(node, ast.If) and any(self._fails(statement) for statement in node.body):
            # ``if missing: pytest.fail(...)`` asserts ``not missing``: its test is checked, in reverse.
            self.assert_depth += 1
            self.negated -= 1
            self.visit(node.test)
            self.negated += 1
            self.assert_depth -= 1
            for statement in (*node.body, *node.orelse):
                self.visit(statement)
            return
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._event_loop(node)
            self._bind(node.target, node.iter)
        elif isinstance(node, ast.Assign):
            self._assign(node)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            if node.value is not None:
                self._bind(node.target, node.value)
        elif isinstance(node, ast.keyword):
            if node.arg is not None:
                self.names.append(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node)
            return
        elif isinstance(node, ast.ExceptHandler):
            if node.type is not None:
                self.visit(node.type)
            if node.name is not None:
                self.names.append(node.name)
            for statement in node.body:
                self.visit(statement)
            return
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            self.names.extend(node.names)
        elif kind in PATTERNS_WITH_NAMES:
            self.names.extend(pattern_names(node))
        if negates:
            self.negated += 1
            self.visit_children(node)
            self.negated -= 1
        else:
            self.visit_children(node)

    def _string(self, value: object) -> None:
        if isinstance(value, str) and self.assert_depth and not self.negated and not self.opaque:
            self.asserted_strings.append(value)

    def _constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            parts = self.source.literal_parts(node)
            if parts is None:
                self._string(node.value)
            else:  # ``"a" "b"``: LibCST sees two strings
                for part in parts:
                    self._string(ast.literal_eval(part))
            return
        name = constant_name(node)
        if name is not None:
            self.names.append(name)

    def _formatted(self, node: ast.JoinedStr) -> None:
        """An f-string's text is not a string literal; plain strings concatenated to it are."""
        for part in self.source.literal_parts(node) or ():
            if "f" not in string_prefix(part).lower():
                self._string(ast.literal_eval(part))
        self._replacement_fields(node)

    def _replacement_fields(self, node: ast.JoinedStr) -> None:
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                self.visit(value.value)
                if isinstance(value.format_spec, ast.JoinedStr):
                    self._replacement_fields(value.format_spec)

    def _import(self, node: Union[ast.Import, ast.ImportFrom]) -> None:
        """Names of an import in the body, as LibCST's names and attributes list them."""
        if isinstance(node, ast.ImportFrom) and node.module:
            self._dotted(node.module)
        for alias in node.names:
            if alias.name != "*":
                self._dotted(alias.name)
            if alias.asname:
                self.names.append(alias.asname)

    def _dotted(self, name: str) -> None:
        parts = name.split(".")
        for end in range(len(parts), 1, -1):
            self.names.append(".".join(parts[:end]))
        self.names.append(parts[0])

    def _event_check(self, node: ast.Assert) -> None:
        """``assert "<event>" in <collection>``, a statement of its own in the function's body."""
        test = node.test
        if (
            id(node) not in self.top
            or not isinstance(test, ast.Compare)
            or len(test.ops) != 1
            or not isinstance(test.ops[0], ast.In)
        ):
            return
        event = string_value(test.left)
        if event is not None:
            self.event_checks.append(
                EventCheck(
                    event,
                    self.source.code(test.comparators[0], indent=self.source.indent_of(node)),
                    self.source.span(node),
                )
            )

    def _event_loop(self, node: Union[ast.For, ast.AsyncFor]) -> None:
        """``for event in REQUIRED: assert event in types``, the loop's only statement."""
        iterated = dotted_name(node.iter)
        statements = node.body if self.source.starts_line(node.body[0]) else []
        if iterated is None or not isinstance(node.target, ast.Name) or len(statements) != 1 or node.orelse:
            return
        check = statements[0]
        test = check.test if isinstance(check, ast.Assert) else None
        if (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and test.left.id == node.target.id
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.In)
        ):
            self.event_loops.append(
                EventLoop(
                    iterated,
                    self.source.code(test.comparators[0], indent=self.source.indent_of(check)),
                    self.source.span(node),
                    id(node) in self.top,
                )
            )

    def _assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
            if isinstance(target, ast.Name):
                self.locals.append(target.id)
                source = _types_source(node.value, self.source)
                if source is not None:
                    self.derived[target.id] = source
                if _is_verdict(node.value):
                    self.verdict_locals.add(target.id)
                if isinstance(node.value, ast.Call):
                    factory = dotted_name(node.value.func)
                    if factory is not None and MOCK_FACTORY.search(factory.rpartition(".")[2]):
                        self.mock_locals.append(target.id)
                    elif factory is not None and factory.rpartition(".")[2][:1].isupper():
                        self.instances[target.id] = factory  # ``validator = EventValidator()``

    def _bind(self, target: ast.AST, value: ast.AST) -> None:
        """The locals of ``target`` are given what ``value`` passes on."""
        names = [target.id] if isinstance(target, ast.Name) else []
        if isinstance(target, (ast.Tuple, ast.List)):
            names = [element.id for element in target.elts if isinstance(element, ast.Name)]
        if names:
            strings, read, counted = _values(value)
            for name in names:
                held = self.local_values.setdefault(name, (set(), set(), set()))
                held[0].update(strings)
                held[1].update(read)
                held[2].update(counted)

    def _adding(self, node: ast.Call, arguments: list[ast.AST]) -> None:
        """``missing.append(event)``: the collection holds what is added to it."""
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ADDING and isinstance(func.value, ast.Name):
            for argument in arguments:
                self._bind(func.value, argument)

    def _assert_call(self, node: ast.Call, callee: str) -> None:
        """``self.assertIn("agent_started", types)``: its arguments are asserted, as in an
        ``assert``; its failure message (``msg=``, an f-string) is not."""
        self.has_assert = True
        self.visit(node.func)
        negated = bool(NEGATED_ASSERT.match(callee.rpartition(".")[2]))
        checked = [argument for argument in node.args if not isinstance(argument, ast.JoinedStr)]
        checked += [keyword.value for keyword in node.keywords if keyword.arg != "msg"]
        self.assert_depth += 1
        self.negated += negated
        for argument in checked:
            self.visit(argument)
        self.negated -= negated
        self.assert_depth -= 1
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            if all(argument is not other for other in checked):
                self.visit(argument)

    def _fails(self, statement: ast.AST) -> bool:
        """``pytest.fail(...)``, ``self.fail(...)``, ``raise AssertionError(...)``."""
        if isinstance(statement, ast.Raise):
            return statement.exc is not None and "AssertionError" in self.source.code(statement.exc)
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            callee = dotted_name(statement.value.func) or ""
            return callee.rpartition(".")[2] == "fail"
        return False

    @property
    def asserting(self) -> bool:
        return bool(self.assert_depth) and not self.opaque

    def expand(self, names: Iterable[str], counted: Iterable[str] = ()) -> tuple[set[str], set[str]]:
        """The strings and constants ``names`` hold, through the locals that hold them; of the
        ``counted`` names (and what counts hold), the constants only."""
        strings: set[str] = set()
        constants: set[str] = set()
        stack = [(name, False) for name in names] + [(name, True) for name in counted]
        seen: set[tuple[str, bool]] = set()
        while stack:
            item = stack.pop()
            if item in seen:
                continue
            seen.add(item)
            name, only_constants = item
            held = self.local_values.get(name)
            if held is not None:
                if not only_constants:
                    strings |= held[0]
                stack.extend((read, only_constants) for read in held[1])
                stack.extend((read, True) for read in held[2])
                continue
            constant = _constant_part(name)
            if constant is not None:
                constants.add(constant)
        return strings, constants

    def call_args(self) -> list[CallArgs]:
        found = []
        for callee, arguments in self.raw_calls:
            strings: set[str] = set()
            names: set[str] = set()
            for argument in arguments:
                passed, read, _ = _values(argument, through_calls=True)
                strings |= passed
                names |= read
            held, constants = self.expand(names)
            strings |= held
            if strings or constants:
                found.append(CallArgs(callee, sorted(strings), sorted(constants)))
        return found


def _is_verdict(node: ast.AST) -> bool:
    """``len(missing) == 0``, ``not missing``, ``a and b``, ``all(...)``, ``x.issubset(y)``."""
    if isinstance(node, (ast.Compare, ast.BoolOp)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        short = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        return short in VERDICT_CALLS
    return False


def _types_source(value: ast.AST, source: SourceMap) -> Optional[str]:
    """``[e["event_type"] for e in sent]`` (or a set of them, or ``set(...)`` of one): ``sent``,
    when it is a plain name and nothing filters the events."""
    if isinstance(value, ast.Call) and dotted_name(value.func) in ("set", "list", "frozenset", "sorted"):
        arguments = call_arguments(value)
        if len(arguments) == 1:
            value = arguments[0][1]
    if not isinstance(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp)) or not _reads_helper_key(value.elt, source):
        return None
    loop = value.generators[0]
    if loop.ifs or len(value.generators) > 1 or not isinstance(loop.iter, ast.Name):
        return None
    return loop.iter.id


def function_body(
    node: Union[ast.FunctionDef, ast.AsyncFunctionDef],
    qualname: str,
    name_span: Span,
    tab_indent: bool,
    source: SourceMap,
) -> FunctionBody:
    is_async = isinstance(node, ast.AsyncFunctionDef)
    arguments = node.args
    params = [parameter.arg for parameter in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    statements = node.body if source.starts_line(node.body[0]) else []
    top = {id(group[0]) for group in line_groups(statements) if len(group) == 1}
    visitor = _BodyVisitor(top, source)
    for statement in node.body:
        visitor.visit(statement)
    if statements:
        last = line_groups(statements)[-1]
        # A statement added at the end goes at the last statement's own indentation.
        column = source.column(last[0].lineno, last[0].col_offset)
        end_line, indent = last[-1].end_lineno, ("\t" if tab_indent else " ") * column
    else:  # ``def f(): ...`` on one line: nothing can be added after it
        end_line, indent = 0, ""
    # ``len(sequence)``: the number of a list of literals checks none of them; a constant it is
    # derived from (``len(missing) == 0``) is checked.
    asserted_strings, asserted_names = visitor.expand(visitor.asserted_raw, visitor.counted_raw)
    returned_strings, returned_names = visitor.expand(visitor.returned_raw, visitor.returned_counted)
    docstring = ast.get_docstring(node) or ""
    body = FunctionBody(
        qualname,
        name_span.line,
        name_span.column,
        is_async,
        end_line,
        indent,
        called=visitor.called,
        asserted_strings=[*visitor.asserted_strings, *asserted_strings],
        names=visitor.names,
        params=params,
        asserted_names=sorted(asserted_names),
        returned_strings=sorted(returned_strings | visitor.returned_strings),
        returned_names=sorted(returned_names),
        has_assert=visitor.has_assert,
        event_checks=visitor.event_checks,
        event_loops=visitor.event_loops,
        locals=visitor.locals,
        derived=visitor.derived,
        keys=visitor.keys,
        call_args=visitor.call_args(),
        mock_locals=sorted(set(visitor.mock_locals)),
        instances=visitor.instances,
        docstring=docstring.strip().partition("\n")[0][:200],
    )
    body.sort_names()
    return body
