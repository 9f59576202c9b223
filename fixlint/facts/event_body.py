"""What one function's body shows about events: what it calls and sends, and how it checks
what was sent (``assert "agent_started" in types``, loops over a required list, asserts
that read a constant through locals, assert calls, helpers). Nested functions, lambdas and
classes are their own business: their statements are not the function's."""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from typing import Optional, Union

from fixlint.facts.model import CallArgs, EventCheck, EventLoop, FunctionBody, Guarded, OneOf, Span
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

# The keys (and keywords of a class made) that give a message its type: ``{"type": "agent_started"}``.
MESSAGE_TYPE_KEYS = frozenset({"type", "event_type", "message_type"})
# Where a function's text may make one (``"type":``, ``event_type=``): the reading of messages it makes up is
# for those functions alone.
MESSAGE_TYPE_TEXT = re.compile(
    r"""["'](?:type|event_type|message_type)["']\s*:|\b(?:type|event_type|message_type)\s*=[^=]"""
)
# What the standard helper reads off each event; a list of types read another way (``e["type"]``,
# ``e.event_type``) does not check what the helper checks.
HELPER_KEY = "event_type"
NEGATING = (ast.NotIn, ast.NotEq, ast.IsNot)
NESTED_SCOPES = (*FUNCTIONS, ast.ClassDef, ast.Lambda)
BUILTIN_NAMES = frozenset(dir(builtins))
# Statements whose blocks are alternatives: a binding in one does not replace the one before.
BRANCHES: tuple[type, ...] = (ast.Try, ast.Match, ast.While, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
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
# ``hasattr(agent, "notify_agent_started")``: given a method's name, that it exists, not what it sent.
ATTRIBUTE_CALLS = frozenset({"hasattr", "getattr"})
# A verdict: what a validator returns for its caller to assert (``return not missing``).
VERDICT_CALLS = frozenset({"all", "any", "issubset", "issuperset", "isdisjoint", "bool"})
# What a mock keeps of its calls: reading one of a sending method checks what it sent.
MOCK_RECORDS = frozenset(
    "call_args call_args_list await_args await_args_list mock_calls call_count await_count called awaited".split()
)
# A key, attribute or local that names what was not sent (``report["missing_events"]``).
MISSING_NAME = re.compile(r"missing|absent|not_(?:sent|seen|received)|unseen", re.I)
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


# strings, names, names only counted (``len(x)``), and the calls whose results it holds
Held = tuple[set[str], set[str], set[str], set[str]]
# A local's binding holds the same, and the names it depends on (the tests of the ``if`` around it)
Binding = tuple[set[str], set[str], set[str], set[str], set[str]]


def _values(node: ast.AST, through_calls: bool = False) -> Held:
    """The identifier-like strings and the names an expression holds: through the calls whose
    result holds their arguments (``TRANSPARENT``), or, ``through_calls``, every call's (what a
    call is given, whatever it returns). What a count counts (``len(x)``) is apart: the number
    of a list of literals holds none of them. The other calls are named: their results (a
    validator's verdict) are what the expression holds of them."""
    strings: set[str] = set()
    names: set[str] = set()
    counted: set[str] = set()
    calls: set[str] = set()
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
                    if _is_overlap(argument):
                        continue  # ``len(REQUIRED & seen)``: how many were seen, not which
                    _, read, read_counted, read_calls = _values(argument)
                    if read_calls or any(_constant_part(name) is None for name in read | read_counted):
                        counted |= read | read_counted  # ``len(REQUIRED)`` alone counts no event sent
                    calls |= read_calls
            elif through_calls or short in TRANSPARENT:
                stack.extend(current.args)
                stack.extend(keyword.value for keyword in current.keywords)
                if isinstance(func, ast.Attribute) and short in TRANSPARENT:
                    stack.append(func.value)  # ``REQUIRED.difference(seen)`` holds REQUIRED
            else:
                callee = dotted_name(func)
                if callee is not None:
                    calls.add(callee)
        elif isinstance(current, ast.JoinedStr):
            stack.extend(value.value for value in current.values if isinstance(value, ast.FormattedValue))
        else:
            stack.extend(ast.iter_child_nodes(current))
    return strings, names - bound, counted - bound, calls


def _query_strings(call: ast.Call) -> set[str]:
    """The identifier-like strings a call is given as literals (``of_type("agent_started")``)."""
    return {
        argument.value
        for argument in [*call.args, *(keyword.value for keyword in call.keywords)]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value.isidentifier()
    }


def _query_emptiness(test: ast.AST) -> Optional[tuple[ast.Call, bool]]:
    """``len(q(...)) > 0``, ``q(...)``, ``not q(...)`` of a call given literals: whether it says the
    call's result is empty."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _query_emptiness(test.operand)
        return (inner[0], not inner[1]) if inner is not None else None
    if isinstance(test, ast.Await):
        test = test.value
    if isinstance(test, ast.Call) and dotted_name(test.func) not in COUNTING | TRANSPARENT | ATTRIBUTE_CALLS:
        return (test, False) if _query_strings(test) else None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    left, count = test.left, _number(test.comparators[0])
    if not (
        isinstance(left, ast.Call) and dotted_name(left.func) == "len" and len(left.args) == 1 and count is not None
    ):
        return None
    says = _says_empty(test.ops[0], count)
    counted = left.args[0]
    if says is None or not isinstance(counted, ast.Call) or not _query_strings(counted):
        return None
    return counted, says


def _positional(node: ast.AST) -> bool:
    """``events[i]["type"]``, ``calls[0][0]``: an item taken by its position."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        if isinstance(node, ast.Subscript) and string_value(node.slice) is None:
            return True
        node = node.value
    return False


def _refused(test: ast.AST) -> Optional[ast.AST]:
    """The call (or the local holding its result) that ``assert not x``, ``assert x is False`` or
    ``assert x == False`` says failed."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        operand = test.operand
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is False
    ):
        operand = test.left
    else:
        return None
    operand = operand.value if isinstance(operand, ast.Await) else operand
    return operand if isinstance(operand, (ast.Name, ast.Call)) else None


def _is_missing_set(node: ast.AST) -> bool:
    """``REQUIRED - seen``, ``REQUIRED.difference(seen)``, ``[e for e in REQUIRED if e not in seen]``:
    what was not sent. Asserting it empty checks its events; asserting it not empty, their absence."""
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.Sub)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("difference", "symmetric_difference"):
            return True
        arguments = call_arguments(node)
        return (
            dotted_name(func) in ("set", "list", "sorted", "frozenset")
            and len(arguments) == 1
            and _is_missing_set(arguments[0][1])
        )
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return any(_tests_absence(condition) for loop in node.generators for condition in loop.ifs)
    return False


def _makes_message(node: ast.AST) -> bool:
    """``{"type": name, ...}``, ``Message(event_type=name)``, a list of them (a display, a
    comprehension): messages the function makes up, whatever their other fields hold."""
    node = node.value if isinstance(node, ast.Await) else node
    if isinstance(node, ast.Dict):
        return any(key is not None and string_value(key) in MESSAGE_TYPE_KEYS for key in node.keys)
    if isinstance(node, ast.Call):
        made = dotted_name(node.func)
        return (
            made is not None
            and made.rpartition(".")[2][:1].isupper()
            and any(keyword.arg in MESSAGE_TYPE_KEYS for keyword in node.keywords)
        )
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(_makes_message(element) for element in node.elts)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _makes_message(node.elt)
    return False


def _is_exception(node: ast.AST) -> bool:
    """``ConnectionError("down")``, ``TimeoutError``, ``BridgeException(...)``: what a mock is made to raise."""
    made = node.func if isinstance(node, ast.Call) else node
    name = dotted_name(made)
    return name is not None and name.rpartition(".")[2].endswith(("Error", "Exception", "Exit", "Interrupt"))


def _is_overlap(node: ast.AST) -> bool:
    """``REQUIRED & seen``, ``REQUIRED.intersection(seen)``."""
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, ast.BitAnd)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "intersection"


def _lists_missing(test: ast.AST) -> bool:
    """``report["missing_events"] == REQUIRED``, ``"agent_started" in result.missing``: a comparison
    that says events are among what a report (a validator under test, say) lists as missing."""
    if not isinstance(test, ast.Compare) or any(isinstance(op, NEGATING) for op in test.ops):
        return False
    for operand in (test.left, *test.comparators):
        for node in ast.walk(operand):
            if isinstance(node, ast.Subscript):
                named = string_value(node.slice)
            elif isinstance(node, ast.Attribute):
                named = node.attr
            else:
                named = node.id if isinstance(node, ast.Name) else None
            if named is not None and MISSING_NAME.search(named):
                return True
    return False


def _is_message(node: ast.AST) -> bool:
    """``f"{event} never sent"``, ``"... {}".format(event)``, ``"%s" % event``: a collection of messages
    that name events is a list of failures, as one of what was not sent."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(value, ast.FormattedValue) for value in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
    return (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    )


def _tests_absence(node: ast.AST, flags: Container[str] = ()) -> bool:
    """``e not in seen``, ``not (e in seen)``, ``not by_type.get(e)``, ``not seen[e]``; ``not found``
    of a local among ``flags`` (not a parameter: ``not allow_tools`` is the caller's choice)."""
    if isinstance(node, ast.Compare):
        return any(isinstance(op, ast.NotIn) for op in node.ops)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = node.operand
        if isinstance(operand, ast.Compare):
            return any(isinstance(op, ast.In) for op in operand.ops)
        return isinstance(operand, (ast.Call, ast.Subscript)) or (isinstance(operand, ast.Name) and operand.id in flags)
    if isinstance(node, ast.BoolOp):
        return any(_tests_absence(value, flags) for value in node.values)
    return False


def _empty_literal(node: ast.AST) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        return not (node.keys if isinstance(node, ast.Dict) else node.elts)
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        return dotted_name(node.func) in ("set", "list", "dict", "tuple", "frozenset")
    return False


def _number(node: ast.AST) -> Optional[int]:
    value = node.value if isinstance(node, ast.Constant) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _says_empty(op: ast.cmpop, count: int) -> Optional[bool]:
    """Whether ``len(x) <op> count`` says ``x`` is empty (True), is not (False), or neither."""
    if isinstance(op, ast.Eq):
        return count == 0
    if isinstance(op, ast.NotEq):
        return False if count == 0 else None
    if isinstance(op, (ast.Gt, ast.GtE)):
        return False if count >= (1 if isinstance(op, ast.GtE) else 0) else None
    if isinstance(op, (ast.Lt, ast.LtE)):
        return True if count == (1 if isinstance(op, ast.Lt) else 0) else None
    return None


def emptiness(node: ast.AST) -> Optional[tuple[str, bool]]:
    """``not x``, ``len(x) == 0``, ``x == []`` (True: says ``x`` is empty); ``x``, ``len(x) > 0``,
    ``x != set()`` (False: says it is not), of a plain name ``x``."""
    if isinstance(node, ast.Name):
        return node.id, False
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = emptiness(node.operand)
        return (inner[0], not inner[1]) if inner is not None else None
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    if isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)) and isinstance(left, ast.Name) and _empty_literal(right):
        return left.id, isinstance(op, (ast.Eq, ast.Is))
    count = _number(right)
    if (
        isinstance(left, ast.Call)
        and dotted_name(left.func) == "len"
        and len(left.args) == 1
        and isinstance(left.args[0], ast.Name)
        and count is not None
    ):
        says = _says_empty(op, count)
        return (left.args[0].id, says) if says is not None else None
    return None


def _is_flag_dict(node: ast.AST) -> bool:
    """``{"agent_started": False, ...}``: a dict display of constants under string keys."""
    return (
        isinstance(node, ast.Dict)
        and bool(node.keys)
        and all(key is not None and string_value(key) is not None for key in node.keys)
        and all(isinstance(value, ast.Constant) for value in node.values)
    )


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


@dataclass
class _Checks:
    """Checks kept apart from the others, as the visitor reads them: the literals, names, names said
    empty or not, and names counted they read."""

    strings: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    emptiness: list[tuple[str, bool]] = field(default_factory=list)
    counted: list[str] = field(default_factory=list)

    def take(self, visitor: _BodyVisitor, marks: tuple[int, int, int, int]) -> None:
        """Moves what the visitor read since ``marks`` here."""
        self.strings += visitor.asserted_strings[marks[0] :]
        self.raw += visitor.asserted_raw[marks[1] :]
        self.emptiness += visitor.emptiness_raw[marks[2] :]
        self.counted += visitor.counted_raw[marks[3] :]
        del visitor.asserted_strings[marks[0] :], visitor.asserted_raw[marks[1] :]
        del visitor.emptiness_raw[marks[2] :], visitor.counted_raw[marks[3] :]


@dataclass
class _GuardedRaw(_Checks):
    """The checks under one ``if`` (``Guarded``, once expanded)."""

    test_strings: set[str] = field(default_factory=set)
    test_names: set[str] = field(default_factory=set)  # locals by their binding


class _BodyVisitor(SourceOrderVisitor):
    def __init__(self, top: set[int], source: SourceMap, params: Container[str], makes_messages: bool) -> None:
        self.top = top
        self.source = source
        self.params = params
        self.makes_messages = makes_messages  # what is made of made-up messages is read where there are some
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
        self.raising: list[str] = []
        self.instances: dict[str, str] = {}  # local -> the class it was made by, as written
        # What each local is given (assigned, iterated from, added to), for the checks that read it.
        # A local is known by its name and the number of its binding (``x#2``): an assert reads the
        # values of the binding before it, not those of a later loop over another list.
        self.local_values: dict[str, Binding] = {}
        self.version: dict[str, int] = {}
        self.branch_depth = 0  # inside an ``if``, ``try`` or ``match``: a binding may not replace the last
        self.absence_depth = 0  # inside ``if event not in seen:``
        # What the tests of the enclosing ``if`` statements read: a local bound under one depends
        # on it (``if not ok: all_ok = False``).
        self.conditions: list[set[str]] = []
        self.negative: set[str] = set()  # locals that hold what was not sent (``REQUIRED - seen``)
        # Locals assigned a verdict (``ok = not missing``): whether it says events are absent.
        self.boolean: dict[str, bool] = {}
        self.asserted_raw: list[str] = []  # names read inside asserts and assert calls
        self.ordered_strings: list[str] = []  # what checks of an order read
        self.ordered_raw: list[str] = []
        self.loop_variables: set[str] = set()  # bound by ``for`` statements: one value at a time
        self.list_loop_variables: set[str] = set()  # those of a loop over a name (``for e in REQUIRED``)
        # locals bound to a list or tuple literal, a list comprehension, or an item by its position
        self.sequences: set[str] = set()
        self.emptiness_raw: list[tuple[str, bool]] = []  # locals asserted empty (True) or not (False)
        self.containers: set[int] = set()  # the right sides of ``in`` tests
        self.returned_raw: set[str] = set()  # names its verdicts read
        self.returned_emptiness: list[tuple[str, bool]] = []
        self.relayed_names: set[str] = set()  # names its ``return`` statements read
        self.relayed_calls: set[str] = set()  # and calls
        self.returned_strings: set[str] = set()
        self.returned_counted: set[str] = set()
        self.raw_calls: list[tuple[str, set[str], set[str], int]] = []  # callee, strings, names passed, id
        # Calls that may not send: under an ``if``, or whose result is asserted false (a send
        # expected to fail); ``result = send(...)`` keeps the call of the local's binding.
        self.if_depth = 0
        self.unsure: set[int] = set()
        self.sure_callees: set[str] = set()
        self.result_of: dict[str, int] = {}
        self.opaque = 0  # inside the arguments of a call whose result does not hold them
        self.verdict_locals: set[str] = set()  # assigned a verdict (``ok = not missing``)
        self.flag_dicts: set[str] = set()  # assigned a dict of flags (``{"agent_started": False, ...}``)
        self.counting = 0  # inside ``len(...)`` in an assert
        self.counted_raw: list[str] = []  # names read so
        # The enclosing ``if`` statements (the innermost last) and the strings their tests read; the
        # checks under each, kept apart by the innermost (``Guarded``).
        self.guards: list[tuple[int, set[str]]] = []
        self.guarded: dict[int, _GuardedRaw] = {}
        # Locals (by their binding) that hold messages it made up (``{"type": name}``), what it made of
        # them (``json.loads(json.dumps(message))``) or an object it fed them to, not sending them
        # (``capture.record(message)``); and locals given data from elsewhere (a parameter, ``self``).
        self.made_up: set[str] = set()
        self.foreign: set[str] = set()
        self.made_up_checks = _Checks()  # checks of those alone
        self.sends_made_up = False  # gives some to a sending call (``manager.send(message)``)

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in NESTED_SCOPES:
            return
        negates = False
        if isinstance(node, (ast.Call, ast.Subscript)):
            key = _key_read(node, self.source)
            if key is not None:
                self.keys.append(key)
            if (
                key is not None
                and self.asserting
                and isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and self._key(node.value.id) in self.flag_dicts
            ):
                # ``assert arrived["agent_completed"]``: one flag of the dict, not each of its keys
                self.names.append(node.value.id)
                self._string(key)
                return
        elif isinstance(node, ast.Dict):
            self.keys += [key for key in map(string_value, node.keys) if key is not None]
        if isinstance(node, ast.Call):
            callee = dotted_name(node.func)
            if callee is None and isinstance(node.func, ast.Attribute):
                made = node.func.value
                maker = dotted_name(made.func) if isinstance(made, ast.Call) else None
                # ``Validator(recorder).check()`` calls ``Validator.check``
                if maker is not None and maker.rpartition(".")[2][:1].isupper():
                    callee = f"{maker}.{node.func.attr}"
                else:
                    callee = f"<expression>.{node.func.attr}"
            if callee:
                self.called.append(callee)
                if self.if_depth:
                    self.unsure.add(id(node))
                else:
                    self.sure_callees.add(callee)
                short = callee.rpartition(".")[2]
                if short == "fail":  # ``pytest.fail``, ``self.fail`` (unittest)
                    self.has_assert = True
                arguments: list[ast.AST] = [*node.args, *(keyword.value for keyword in node.keywords)]
                if arguments:
                    self._passes(callee, arguments, id(node))
                    if SENDING_RE.match(short):
                        self.sends_made_up = self.sends_made_up or self._provenance(arguments)[0]
                    elif not is_assert_call(callee):
                        self._feeding(node, callee, arguments)
                self._adding(node, arguments)
                if is_assert_call(callee):
                    self._assert_call(node, callee)
                    return
                if callee == "next" and len(node.args) == 1 and isinstance(node.args[0], ast.GeneratorExp):
                    # ``next(e for e in sent if e["type"] == "agent_started")`` raises, failing the
                    # test, when none came: it checks as ``assert any(...)`` would
                    self.has_assert = True
                    self.assert_depth += 1
                    found = node.args[0]
                    self._checking([found], found, lambda: self._asserted(found))
                    self.assert_depth -= 1
                    return
                if self.asserting and callee == "len":
                    self.visit(node.func)
                    _, _, held, _ = _values(node)  # nothing when it counts constants alone
                    opaque = not held
                    self.counting += 1
                    self.opaque += opaque
                    for argument in arguments:
                        self.visit(argument)
                    self.opaque -= opaque
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
                (self.counted_raw if self.counting else self.asserted_raw).append(self._key(node.id))
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
            self._checking([node.test], node.test, lambda: self._asserted(node.test))
            self.assert_depth -= 1
            if node.msg is not None:  # what a failure says is no check
                self.visit(node.msg)
            return
        elif isinstance(node, ast.Return):
            value = node.value
            if isinstance(value, ast.Constant) and value.value is False and self.conditions:
                # ``for event in REQUIRED: if not seen(event): return False``: the verdict is on
                # each item of the list, when the test of an ``if`` around it reads the item.
                self.returned_raw |= set().union(*self.conditions) & self.list_loop_variables
            parts = value.elts if isinstance(value, ast.Tuple) else [value] if value is not None else []
            # ``return {"complete": not missing, ...}``: the verdicts of a results dict
            parts = [v for part in parts for v in (part.values if isinstance(part, ast.Dict) else [part])]
            for part in parts:
                strings, names, counted, calls = _values(part)
                # What it returns of a call (``return {"passed": ok}`` after ``ok, _ = v.check()``)
                # is that call's verdict, handed on.
                self.relayed_names |= {self._key(name) for name in names | counted}
                self.relayed_calls |= calls
                if _is_verdict(part):
                    empty = emptiness(part)
                    if empty is not None and empty[0] in self.version:
                        self.returned_emptiness.append((self._key(empty[0]), empty[1]))
                        continue
                    self.returned_strings |= strings
                    self.returned_raw |= {self._key(name) for name in names}
                    self.returned_counted |= {self._key(name) for name in counted}
                elif isinstance(part, ast.Name) and part.id in self.verdict_locals:
                    self.returned_raw.add(self._key(part.id))
        elif isinstance(node, ast.Raise):
            if node.exc is not None and "AssertionError" in self.source.code(node.exc):
                self.has_assert = True
        elif isinstance(node, ast.If):
            if any(self._fails(statement) for statement in node.body):
                # ``if missing: pytest.fail(...)`` asserts ``not missing``: its test is checked, in reverse.
                self.assert_depth += 1
                self.negated -= 1
                self._checking([node.test], node.test, lambda: self._asserted(node.test, reverse=True), reverse=True)
                self.negated += 1
                self.assert_depth -= 1
            else:
                self.visit(node.test)
            absence = _tests_absence(node.test, self.version)
            test_strings, test_names, test_counted, _ = _values(node.test)
            self.conditions.append({self._key(name) for name in test_names | test_counted})
            self.guards.append((id(node), test_strings))
            self.branch_depth += 1
            self.if_depth += 1
            self.absence_depth += absence
            for statement in node.body:
                self.visit(statement)
            self.absence_depth -= absence
            for statement in node.orelse:
                self.visit(statement)
            self.if_depth -= 1
            self.branch_depth -= 1
            self.conditions.pop()
            self.guards.pop()
            return
        elif isinstance(node, BRANCHES):
            self.branch_depth += 1
            self.visit_children(node)
            self.branch_depth -= 1
            return
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._event_loop(node)
            self._bind(node.target, node.iter, fresh=True)
            bound = {self._key(name.id) for name in ast.walk(node.target) if isinstance(name, ast.Name)}
            self.loop_variables |= bound
            if dotted_name(node.iter) is not None:  # ``for event in REQUIRED``, ``in self.required``
                self.list_loop_variables |= bound
        elif isinstance(node, ast.Assign):
            self._assign(node)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._bind(node.target, node.value, fresh=not self.branch_depth)
        elif isinstance(node, ast.AugAssign):
            self._bind(node.target, node.value, fresh=False)
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
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        for target in node.targets:
            if isinstance(target, ast.Attribute) and target.attr == "side_effect" and _is_exception(value):
                method = dotted_name(target.value)
                if method is not None:
                    self.raising.append(method.rpartition(".")[2])
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                # ``result["complete"] = all(...)``: the dict holds it beside what it held
                self._bind(target.value, node.value, fresh=False)
                if _is_verdict(node.value):
                    self.verdict_locals.add(target.value.id)
                continue
            self._bind(target, node.value, fresh=not self.branch_depth)
            if isinstance(target, ast.Name) and _is_flag_dict(value):
                self.flag_dicts.add(self._key(target.id))
            if isinstance(target, ast.Name) and isinstance(value, ast.Call):
                self.result_of[self._key(target.id)] = id(value)
            elif isinstance(target, ast.Name) and (
                isinstance(value, (ast.List, ast.Tuple, ast.ListComp)) or _positional(value)
            ):
                self.sequences.add(self._key(target.id))
            if isinstance(target, ast.Name):
                self.locals.append(target.id)
                source = _types_source(node.value, self.source)
                if source is not None:
                    self.derived[target.id] = source
                if _is_verdict(node.value) or (
                    isinstance(node.value, ast.Dict) and any(_is_verdict(item) for item in node.value.values)
                ):
                    self.verdict_locals.add(target.id)
                if isinstance(node.value, ast.Call):
                    factory = dotted_name(node.value.func)
                    if factory is not None and MOCK_FACTORY.search(factory.rpartition(".")[2]):
                        self.mock_locals.append(target.id)
                    elif factory is not None and factory.rpartition(".")[2][:1].isupper():
                        self.instances[target.id] = factory  # ``validator = EventValidator()``
            elif isinstance(target, ast.Attribute) and isinstance(value, ast.Call):
                # ``self.config = TestConfig()`` in a setup method: what the class's methods read
                owner, factory = dotted_name(target), dotted_name(value.func)
                if owner is not None and owner.count(".") == 1 and owner.startswith("self."):
                    if factory is not None and factory.rpartition(".")[2][:1].isupper():
                        self.instances[owner] = factory

    def _key(self, name: str) -> str:
        """The local's current binding, or the name itself (a parameter, a constant)."""
        version = self.version.get(name)
        return name if version is None else f"{name}#{version}"

    def _bind(self, target: ast.AST, value: ast.AST, fresh: bool) -> None:
        """The locals of ``target`` are given what ``value`` passes on: as a new binding
        (``fresh``), or beside what they held (``+=``, ``.append``, a binding in a branch)."""
        names = [target.id] if isinstance(target, ast.Name) else []
        if isinstance(target, (ast.Tuple, ast.List)):
            elements = list(target.elts)
            if isinstance(value, ast.Call) and dotted_name(value.func) == "enumerate" and elements:
                index = elements.pop(0)  # ``for i, event in enumerate(events)``: ``i`` is a number
                if isinstance(index, ast.Name):
                    self.version[index.id] = self.version.get(index.id, 0) + 1
                    self.local_values[self._key(index.id)] = (set(), set(), set(), set(), set())
            names = [node.id for element in elements for node in ast.walk(element) if isinstance(node, ast.Name)]
        if not names:
            return
        strings, read, counted, calls = _values(value)
        # ``thinking = recorder.of_type("agent_thinking")``: what a query is asked for, it holds
        made = value.value if isinstance(value, ast.Await) else value
        if isinstance(made, ast.Call) and calls:
            strings = strings | _query_strings(made)
        read = {self._key(name) for name in read}
        depends: set[str] = set().union(*self.conditions)
        counted = {self._key(name) for name in counted}
        missing = _is_missing_set(value) or _is_message(value) or (not fresh and bool(self.absence_depth))
        says_absent: Optional[bool] = None
        if _is_verdict(value):
            empty = emptiness(value)
            said = self._key(empty[0]) if empty is not None and empty[0] in self.version else None
            says_absent = said is not None and empty is not None and empty[1] != self.is_negative(said)
        made_up, foreign = self._provenance([value])
        for name in names:
            if fresh or name not in self.version:
                self.version[name] = self.version.get(name, 0) + 1
            key = self._key(name)
            if made_up:
                self.made_up.add(key)
            if foreign:
                self.foreign.add(key)
            held = self.local_values.setdefault(key, (set(), set(), set(), set(), set()))
            held[0].update(strings)
            held[1].update(read)
            held[2].update(counted)
            held[3].update(calls)
            held[4].update(depends)
            if missing:
                self.negative.add(key)
            if says_absent is not None:
                self.boolean[key] = says_absent

    def _provenance(self, values: list[ast.AST]) -> tuple[bool, bool]:
        """Whether values are (or are made of) messages the function made up, and whether they are
        given data from elsewhere. A message it makes is made up whatever its other fields hold."""
        made_up = foreign = False
        if not self.makes_messages:
            return made_up, foreign
        for value in values:
            if _makes_message(value):
                made_up = True
                continue
            reads, elsewhere = self._data_reads(value)
            made_up = made_up or any(self._is_made_up(key) for key in reads)
            foreign = foreign or elsewhere or bool(reads & self.foreign)
        return made_up, foreign

    def _is_made_up(self, key: str) -> bool:
        return key in self.made_up and key not in self.foreign

    def _data_reads(self, node: ast.AST) -> tuple[set[str], bool]:
        """The locals (by their binding) an expression reads as data, through every call (what it is
        given, what a method is called on), and whether it reads data from elsewhere: a parameter,
        an attribute of ``self``, a name the function does not bind. Modules, classes, functions
        called and constants are no data."""
        reads: set[str] = set()
        elsewhere = False
        bound: set[str] = set()  # by its own comprehensions
        stack: list[tuple[ast.AST, bool]] = [(node, False)]  # a node, and whether a method is called on it
        while stack:
            current, owner = stack.pop()
            if isinstance(current, ast.comprehension):
                bound.update(name.id for name in ast.walk(current.target) if isinstance(name, ast.Name))
                stack += [(current.iter, False), *((condition, False) for condition in current.ifs)]
            elif isinstance(current, ast.Name):
                name = current.id
                if name in self.version and name not in bound:
                    reads.add(self._key(name))
                elif name in self.params or name in ("self", "cls"):
                    elsewhere = True
                elif not (owner or name in bound or _constant_part(name) or name in BUILTIN_NAMES):
                    elsewhere = True  # a name bound by ``with ... as``, say
            elif isinstance(current, ast.Attribute):
                dotted = dotted_name(current)
                if dotted is None or _constant_part(dotted) is None:  # ``self.REQUIRED``: a constant
                    stack.append((current.value, owner))
            elif isinstance(current, ast.Call):
                func = current.func
                if isinstance(func, ast.Attribute):
                    stack.append((func.value, True))
                    root = dotted_name(func.value)
                    root = root.partition(".")[0] if root is not None else None
                    if root in self.version and not self._is_made_up(self._key(root)):
                        # ``websocket.sent_messages_of(name)``: what an object holds, whatever it is asked
                        continue
                stack += [(argument, False) for argument in [*current.args, *(k.value for k in current.keywords)]]
            elif not isinstance(current, NESTED_SCOPES):
                stack += [(child, False) for child in ast.iter_child_nodes(current)]
        return reads, elsewhere

    def _feeding(self, node: ast.Call, callee: str, arguments: list[ast.AST]) -> None:
        """``capture.record(message)``: an object given messages it made up holds them; one given
        them to send (``manager.send(message)``) delivers them."""
        root = callee.partition(".")[0]
        if not isinstance(node.func, ast.Attribute) or root not in self.version:
            return
        made_up, foreign = self._provenance(arguments)
        if made_up:
            self.made_up.add(self._key(root))
        if foreign:
            self.foreign.add(self._key(root))

    def _made_up_only(self, read: list[ast.expr]) -> bool:
        """Whether checks read messages the function made up (and constants and literals) only."""
        keys: set[str] = set()
        if not self.makes_messages:
            return False
        for node in read:
            reads, elsewhere = self._data_reads(node)
            if elsewhere:
                return False
            keys |= reads
        made_up = {key for key in keys if self._is_made_up(key)}
        return bool(made_up) and self._static_names(keys - made_up)

    def _adding(self, node: ast.Call, arguments: list[ast.AST]) -> None:
        """``missing.append(event)``: the collection holds what is added to it."""
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ADDING and isinstance(func.value, ast.Name):
            for argument in arguments:
                self._bind(func.value, argument, fresh=False)

    def _passes(self, callee: str, arguments: list[ast.AST], call: int) -> None:
        strings: set[str] = set()
        names: set[str] = set()
        for argument in arguments:
            passed, read, _, _ = _values(argument, through_calls=True)
            strings |= passed
            names |= {self._key(name) for name in read}
        self.raw_calls.append((callee, strings, names, call))

    def _asserted(self, test: ast.AST, reverse: bool = False) -> None:
        """What an assert (or ``if ...: pytest.fail()``, ``reverse``) says of its test: that a local
        is empty or is not (``assert not missing``, ``assert len(thinking) > 0``) is kept apart,
        to be read by what the local holds; the rest is read as asserted."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or if reverse else ast.And):
            for value in test.values:
                self._asserted(value, reverse)
            return
        refused = _refused(test) if not reverse else None
        if isinstance(refused, ast.Name) and self._key(refused.id) in self.result_of:
            self.unsure.add(self.result_of[self._key(refused.id)])
        elif refused is not None:
            self.unsure.add(id(refused))
        empty = emptiness(test)
        query = _query_emptiness(test) if empty is None else None
        if query is not None:  # ``assert len(recorder.of_type("agent_started")) == 1``
            # Named by its place, not its object: the facts (and their digest) are the same in every process.
            key = f"<query>#{query[0].lineno}:{query[0].col_offset}"
            self.local_values[key] = (_query_strings(query[0]), set(), set(), set(), set())
            empty = (key, query[1])
        elif empty is None or empty[0] not in self.version:
            self.visit(test)
            return
        else:
            empty = (self._key(empty[0]), empty[1])
        self.emptiness_raw.append((empty[0], empty[1] != reverse))
        self.opaque += 1
        self.visit(test)
        self.opaque -= 1

    def _assert_call(self, node: ast.Call, callee: str) -> None:
        """``self.assertIn("agent_started", types)``: its arguments are asserted, as in an
        ``assert``; its failure message (``msg=``, an f-string) is not."""
        self.has_assert = True
        self.visit(node.func)
        short = callee.rpartition(".")[2]
        arguments = [*node.args, *(keyword.value for keyword in node.keywords if keyword.arg != "msg")]
        self._checking(
            arguments, _assert_call_compare(short, node.args), lambda: self._assert_call_arguments(node, short)
        )

    def _assert_call_arguments(self, node: ast.Call, short: str) -> None:
        negated = bool(NEGATED_ASSERT.match(short))
        test = _assert_call_test(short, node.args)
        if test is not None:
            self._asserted(test)
            for keyword in node.keywords:
                self.visit(keyword.value)
            return
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

    def _checking(
        self, read: list[ast.expr], test: Optional[ast.expr], visit: Callable[[], None], reverse: bool = False
    ) -> None:
        """Visits a check (``visit``) that reads ``read``: what it asserts of constants and literals
        alone (``assert EventType.AGENT_STARTED``, ``assert len(expected) == 5``) checks nothing
        sent, nor what it says a report lists as missing (``report["missing"] == REQUIRED``); what
        it asserts in order (``types == [...]``, ``events[0]["type"] == ...``) is kept apart,
        stricter than a presence check."""
        marks = len(self.asserted_strings), len(self.asserted_raw), len(self.emptiness_raw), len(self.counted_raw)
        visit()
        if self._static(read):
            del self.asserted_strings[marks[0] :], self.asserted_raw[marks[1] :], self.emptiness_raw[marks[2] :]
        elif test is not None and not reverse and _lists_missing(test):
            del self.asserted_strings[marks[0] :], self.asserted_raw[marks[1] :]
        elif test is not None and self._ordered(test):
            self.ordered_strings += self.asserted_strings[marks[0] :]
            self.ordered_raw += self.asserted_raw[marks[1] :]
            del self.asserted_strings[marks[0] :], self.asserted_raw[marks[1] :]
        elif self._made_up_only(read):
            # ``assert json.loads(json.dumps(message))["type"] == message["type"]``: a check of what
            # it made up checks their making, not what a flow sent (unless it sends them too).
            self.made_up_checks.take(self, marks)
        if self.guards:
            self._guard(marks)

    def _guard(self, marks: tuple[int, int, int, int]) -> None:
        """What a check under an ``if`` read goes to the checks of the innermost ``if``."""
        guarded = self.guarded.get(self.guards[-1][0])
        if guarded is None:
            guarded = self.guarded[self.guards[-1][0]] = _GuardedRaw(
                test_strings=set().union(*(strings for _, strings in self.guards)),
                test_names=set().union(*self.conditions),
            )
        guarded.take(self, marks)

    def _static(self, read: list[ast.expr]) -> bool:
        """Whether expressions read constants and literals only, directly or through locals."""
        names: set[str] = set()
        for node in read:
            _, held, counted, calls = _values(node)
            if calls:
                return False
            names |= {self._key(name) for name in held | counted}
        return self._static_names(names)

    def _static_names(self, names: set[str]) -> bool:
        """Whether locals (by their binding) and constants hold constants and literals only."""
        seen: set[str] = set()
        while names:
            name = names.pop()
            if name in seen:
                continue
            seen.add(name)
            held_values = self.local_values.get(name)
            if held_values is None:
                if _constant_part(name) is None:
                    return False
            elif held_values[3] or not any(held_values[:3]):
                return False  # what a call returns, or a list filled elsewhere (``sent = []``)
            else:
                names |= held_values[1] | held_values[2] | held_values[4]
        return True

    def _ordered(self, test: ast.expr) -> bool:
        """``types == ["a", "b"]``, ``types == expected`` (a list literal), ``[...] == list(REQUIRED)``,
        ``events[i]["type"] == ...``."""
        if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
            return False
        if _empty_literal(test.left) or _empty_literal(test.comparators[0]):
            return False  # ``[e for e in REQUIRED if e not in seen] == []``
        for operand in (test.left, test.comparators[0]):
            if isinstance(operand, (ast.List, ast.Tuple)) and len(operand.elts) > 1:
                return True
            if isinstance(operand, ast.ListComp) or (
                isinstance(operand, ast.Call) and dotted_name(operand.func) in ("list", "tuple")
            ):
                return True
            if _positional(operand):
                return True
            while isinstance(operand, (ast.Subscript, ast.Attribute)):
                operand = operand.value
            # ``types == expected``, ``item["type"] == ...`` after ``item = calls[i]``
            if isinstance(operand, ast.Name) and self._key(operand.id) in self.sequences:
                return True
        return False

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

    def is_negative(self, key: str) -> bool:
        """Whether a local holds what was not sent, itself or through the locals it holds
        (``errors.append(f"missing {missing}")``)."""
        stack, seen = [key], set()
        while stack:
            current = stack.pop()
            if current in self.negative or self.boolean.get(current):
                return True
            if current not in seen and current not in self.boolean:
                seen.add(current)
                held = self.local_values.get(current)
                if held is not None:
                    stack.extend(held[1] | held[2])
        return False

    def asserted(
        self, raw: list[str], emptiness: list[tuple[str, bool]], counted: list[str]
    ) -> tuple[set[str], set[str], list[OneOf]]:
        """The strings and constants checks read (names read, said empty or not, counted), and the
        groups of which one was sent."""
        # ``len(sequence)``: the number of a list of literals checks none of them; a constant it is
        # derived from (``len(missing) == 0``) is checked.
        # ``assert len(thinking) > 0`` of a list of what was sent proves one of the events it may
        # hold: each such check is a group, an event checked when the group names one alone.
        some = [key for key, empty in emptiness if not empty and not self.is_negative(key)]
        all_of = [(key, empty) for key, empty in emptiness if empty or self.is_negative(key)]
        # ``for wanted in REQUIRED: ... assert len(of_type) > 0``: one event at a time, each of them
        each = [loop for key in some for loop in self.loops_reached(key)]
        # ``assert len(missing) <= 2``: a count of what was not sent, short of saying it is empty (read
        # above), tolerates missing events: it checks none of them.
        kept = [key for key in counted if not self.is_negative(key)]
        strings, names = self.expand(self.checked(raw + each, all_of), kept)
        one_of = [OneOf(*map(sorted, self.expand([key]))) for key in sorted(set(some))]
        return strings, names, [group for group in one_of if group.strings or group.names]

    def checked(self, plain: list[str], by_emptiness: list[tuple[str, bool]]) -> list[str]:
        """The locals an assert proves the events of: read plainly (not what was not sent: that
        ``expected <= missing`` proves an absence), or said empty when they hold what was not sent,
        not empty when they hold what was."""
        kept = [key for key in plain if not self.is_negative(key)]
        return kept + [key for key, empty in by_emptiness if empty == self.is_negative(key)]

    def loops_reached(self, key: str) -> set[str]:
        """The loop variables a local holds values of, through the locals it holds."""
        found: set[str] = set()
        stack, seen = [key], set()
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.loop_variables:
                found.add(current)
            held = self.local_values.get(current)
            if held is not None:
                stack.extend(held[1] | held[4])
        return found

    def calls_held(self, names: Iterable[str]) -> set[str]:
        """The calls whose results ``names`` hold, through the locals that hold them."""
        calls: set[str] = set()
        stack, seen = list(names), set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            held = self.local_values.get(name)
            if held is not None:
                calls |= held[3]
                stack.extend(held[1] | held[2] | held[4])
        return calls

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
                # A flag set under an ``if`` says what its test read; data kept under one (the
                # deliveries of some types) holds what it was given, not what picked it.
                flag = not (held[1] or held[2] or held[3])
                stack.extend((read, only_constants) for read in held[1] | (held[4] if flag else set()))
                stack.extend((read, True) for read in held[2])
                continue
            constant = _constant_part(name)
            if constant is None and name.startswith(("self.", "cls.")) and name.count(".") == 1:
                constant = name  # ``self.required``: an attribute a setup method may give a set
            if constant is not None:
                constants.add(constant)
            elif not only_constants:
                owner, _, record = name.rpartition(".")
                if record in MOCK_RECORDS and "." in owner:
                    strings.add(owner.rpartition(".")[2])  # what ``bridge.notify_agent_started`` was called with
        return strings, constants

    def call_args(self) -> list[CallArgs]:
        found = []
        for callee, passed, names, call in self.raw_calls:
            strings = set(passed)
            held, constants = self.expand(names)
            strings |= held
            if strings or constants:
                found.append(CallArgs(callee, sorted(strings), sorted(constants), unsure=call in self.unsure))
        return found


# ``self.assertEqual(len(missing), 0)`` says what ``assert len(missing) == 0`` says.
ASSERT_COMPARISONS: dict[str, type] = {
    "assertequal": ast.Eq,
    "assertlistequal": ast.Eq,
    "asserttupleequal": ast.Eq,
    "assertnotequal": ast.NotEq,
    "assertgreater": ast.Gt,
    "assertgreaterequal": ast.GtE,
    "assertless": ast.Lt,
    "assertlessequal": ast.LtE,
}


def _assert_call_compare(short: str, arguments: list[ast.expr]) -> Optional[ast.expr]:
    """``assertEqual(a, b)`` as ``a == b``."""
    operator = ASSERT_COMPARISONS.get(short.lower().replace("_", ""))
    if operator is None or len(arguments) < 2:
        return None
    return ast.Compare(left=arguments[0], ops=[operator()], comparators=[arguments[1]])


def _assert_call_test(short: str, arguments: list[ast.expr]) -> Optional[ast.expr]:
    """The test an assert method states, when it says whether a local is empty."""
    name = short.lower().replace("_", "")
    test: Optional[ast.expr] = None
    if name in ("asserttrue", "assertfalse") and arguments:
        test = arguments[0] if name == "asserttrue" else ast.UnaryOp(op=ast.Not(), operand=arguments[0])
    elif name in ASSERT_COMPARISONS and len(arguments) >= 2:
        test = ast.Compare(left=arguments[0], ops=[ASSERT_COMPARISONS[name]()], comparators=[arguments[1]])
    return test if test is not None and emptiness(test) is not None else None


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
    # A look at the text, not the tree: most functions make no message, and a second walk costs.
    makes_messages = MESSAGE_TYPE_TEXT.search(source.segment(node)) is not None
    visitor = _BodyVisitor(top, source, set(params), makes_messages)
    for statement in node.body:
        visitor.visit(statement)
    if statements:
        last = line_groups(statements)[-1]
        # A statement added at the end goes at the last statement's own indentation.
        column = source.column(last[0].lineno, last[0].col_offset)
        end_line, indent = last[-1].end_lineno, ("\t" if tab_indent else " ") * column
    else:  # ``def f(): ...`` on one line: nothing can be added after it
        end_line, indent = 0, ""
    if visitor.sends_made_up:  # messages it made up and sent: what it checks of them counts
        made_up = visitor.made_up_checks
        visitor.asserted_strings += made_up.strings
        visitor.asserted_raw += made_up.raw
        visitor.emptiness_raw += made_up.emptiness
        visitor.counted_raw += made_up.counted
    asserted_strings, asserted_names, one_of = visitor.asserted(
        visitor.asserted_raw, visitor.emptiness_raw, visitor.counted_raw
    )
    guarded = []
    for checks in visitor.guarded.values():
        strings, names, groups = visitor.asserted(checks.raw, checks.emptiness, checks.counted)
        if checks.strings or strings or names or groups:
            test_strings, test_names = visitor.expand(checks.test_names)
            guarded.append(
                Guarded(
                    sorted(checks.test_strings | test_strings),
                    sorted(test_names),
                    sorted(set(checks.strings) | strings),
                    sorted(names),
                    groups,
                )
            )
    ordered_strings, ordered_names = visitor.expand(visitor.checked(visitor.ordered_raw, []))
    # ``return len(received) > 0``: that some event came is no verdict on each of them
    returned = visitor.checked(
        list(visitor.returned_raw),
        [(key, empty) for key, empty in visitor.returned_emptiness if empty or visitor.is_negative(key)],
    )
    returned_counted = [key for key in visitor.returned_counted if not visitor.is_negative(key)]
    returned_strings, returned_names = visitor.expand(returned, returned_counted)
    relayed = visitor.relayed_calls | visitor.calls_held(visitor.relayed_names)
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
        one_of=one_of,
        guarded=guarded,
        ordered_strings=sorted(set(visitor.ordered_strings) | ordered_strings),
        ordered_names=sorted(ordered_names),
        relayed=sorted(relayed),
        has_assert=visitor.has_assert,
        event_checks=visitor.event_checks,
        event_loops=visitor.event_loops,
        locals=visitor.locals,
        derived=visitor.derived,
        keys=visitor.keys,
        call_args=visitor.call_args(),
        unsure_called=sorted(set(visitor.called) - visitor.sure_callees),
        mock_locals=sorted(set(visitor.mock_locals)),
        raising=sorted(set(visitor.raising)),
        instances=visitor.instances,
        docstring=docstring.strip().partition("\n")[0][:200],
    )
    body.sort_names()
    return body
