"""Which events a function sends and which it checks, followed through the test code it calls
(tests, conftests, helper modules), never into production code or a method of a mock: the
model both required-events rules read."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from fixlint.errors import ConfigError
from fixlint.facts.event_body import SENDING_RE, SENDING_VERBS, is_assert_call
from fixlint.facts.model import FunctionBody, OneOf
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import is_test_code
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Option

# How deep helpers calling helpers are followed.
MAX_HELPER_DEPTH = 40


REQUIRED_EVENTS = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
# Subjects whose suites use the events as traffic: authentication, timing, load, routing, queues.
OTHER_SUBJECTS = (
    "auth authentication login token timing performance latency throughput load routing router queue queuing"
).split()


def _check_helper(value: str, where: str) -> None:
    if not value.isidentifier():
        raise ConfigError(f"{where}: expected a function name, got {value!r}")


def _check_module(value: str, where: str) -> None:
    if not all(part.isidentifier() for part in value.split(".")):
        raise ConfigError(f"{where}: expected a dotted module name, got {value!r}")


def _check_events(value: list[str], where: str) -> None:
    if not value or len(set(value)) != len(value):
        raise ConfigError(f"{where}: expected a non-empty list of distinct event names, got {value!r}")


# The options of the required-events family, shared by its two rules.
EVENT_OPTIONS = {
    "events": Option(REQUIRED_EVENTS, "The events every test of the flow must prove.", check=_check_events),
    "helper": Option("validate_required_events", "The standard helper that checks them.", check=_check_helper),
    "helper-module": Option(
        "test_framework.websocket_helpers", "The module the helper is imported from.", check=_check_module
    ),
    "helper-async": Option(True, "Whether the helper is `async def` (calls are then awaited)."),
    "helper-paths": Option(
        [],
        "Test code outside the folders named like tests (`tests/`, `testing/`, `test_*/`, `*_tests/`): "
        "globs of the path from the rootdir, or of the file name. Calls are followed into test code only.",
    ),
    "emitters": Option([], "Calls that run a flow which sends the events (an agent runner, say)."),
    "validators": Option([], "Calls that check every required event, wherever they are defined."),
    "collections": Option(
        ["sent_events", "events", "received_events", "messages"], "Names of the variables that hold the sent events."
    ),
    "other-subjects": Option(
        list(OTHER_SUBJECTS),
        "Words of a test module's or test's name that say it is about something else than the flow "
        "(`test_token_refresh.py`, `test_flow_latency`): sending every event there is traffic; a "
        "name or docstring that promises every event is still held to it.",
    ),
}


@dataclass(frozen=True)
class EventSettings:
    events: tuple[str, ...]
    helper: str
    emitters: tuple[str, ...]  # calls that run a flow which sends the events
    validators: tuple[str, ...]  # calls that check every required event, wherever they live
    helper_paths: tuple[str, ...]  # test code outside the folders named like tests

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> EventSettings:
        return cls(
            tuple(options["events"]),
            options["helper"],
            tuple(options["emitters"]),
            tuple(options["validators"]),
            tuple(options["helper-paths"]),
        )


@dataclass(frozen=True)
class Located:
    file: SourceFile
    body: FunctionBody


class EventModel:
    def __init__(self, project: Project, settings: EventSettings) -> None:
        # Weakly: the model is kept by its project's entry in ``_MODELS``, which must not keep it alive.
        self._project = weakref.ref(project)
        self.settings = settings
        self._checked: dict[tuple[str, str], frozenset[str]] = {}
        self._handed_on: dict[tuple[str, str], frozenset[str]] = {}
        self._sent: dict[tuple[str, str], frozenset[str]] = {}
        self._verdicts: dict[tuple[str, str], frozenset[str]] = {}
        self._by_module: dict[str, dict[str, list[Located]]] = {}
        self._sender_names: dict[str, str] = {}
        self._test_code: dict[str, bool] = {}
        self._asserted_verdicts: Optional[set[tuple[str, str]]] = None
        self._methods: Optional[dict[str, list[Located]]] = None
        self._callees: dict[tuple[str, str, str], tuple[Located, ...]] = {}
        verbs = "|".join(SENDING_VERBS)
        # An event is named in full, or by its last word where no other event ends so
        # (``emit_thinking`` for ``agent_thinking``).
        lasts = [event.rpartition("_")[2] for event in settings.events]
        self._names = {event: event for event in settings.events}
        self._names.update(
            {last: event for last, event in zip(lasts, settings.events) if lasts.count(last) == 1 and last != event}
        )
        names = "|".join(re.escape(name) for name in sorted(self._names, key=len, reverse=True))
        # ``notify_agent_started``, ``send_tool_executing_async``: a method that sends one event.
        self._sender = re.compile(rf"^_*(?:{verbs})_(?P<event>{names})(?:_\w*)?$")

    @property
    def project(self) -> Project:
        project = self._project()
        assert project is not None, "an event model outlived its run"
        return project

    # -- what a function checks --------------------------------------------------------------
    def checked(self, at: Located, depth: int = 0) -> frozenset[str]:
        """The required events that the function's checks cover, its helpers' included."""
        key = (str(at.file.path), at.body.qualname)
        if key not in self._checked:
            self._checked[key] = frozenset()  # a recursive helper adds nothing to itself
            self._checked[key] = self.checked_by_hand(at) | self._checked_by_calls(at, depth)
        return self._checked[key]

    def checked_by_hand(self, at: Located, in_order: bool = True, only_if_sent: bool = True) -> frozenset[str]:
        """The required events the function's own asserts cover, helpers aside: event names they
        read, directly or through locals (``expected = [...]; assert events == expected``), and
        the constants they read so (``for event in REQUIRED: assert event in types``,
        ``missing = REQUIRED - found; assert not missing``, ``self.assertEqual(...)``); with
        ``in_order``, those of checks of an order too (``types == [...]``); with ``only_if_sent``,
        those of checks made only when an event came (under ``if "tool_executing" in types:``)."""
        body = at.body
        found = self._asserted(at, body.asserted_strings, body.asserted_names, body.one_of)
        for guarded in body.guarded:
            if only_if_sent or not self._passed(at, guarded.test_strings, guarded.test_names):
                found |= self._asserted(at, guarded.strings, guarded.names, guarded.one_of)
        if in_order:
            found |= self._passed(at, body.ordered_strings, body.ordered_names)
        return frozenset(found)

    def _asserted(self, at: Located, strings: Sequence[str], names: Sequence[str], one_of: Sequence[OneOf]) -> set[str]:
        found = self._passed(at, strings, names)
        for group in one_of:  # a list asserted not empty proves its event when it has one
            events = self._passed(at, group.strings, group.names)
            if len(events) == 1:
                found |= events
        return found

    def verdict(self, at: Located, depth: int = 0) -> frozenset[str]:
        """The required events the verdict it returns covers (``return not (REQUIRED - seen)``),
        its own or one it hands on from a function it calls (``return {"passed": ok}`` after
        ``ok = validator.check()``): checked when its caller asserts it."""
        key = (str(at.file.path), at.body.qualname)
        if key not in self._verdicts:
            self._verdicts[key] = frozenset()  # a cycle adds nothing to itself
            found = set(self.own_verdict(at))
            if depth < MAX_HELPER_DEPTH:
                for callee in at.body.relayed:
                    for target in self.callees(at, callee):
                        found |= self.verdict(target, depth + 1)
            self._verdicts[key] = frozenset(found)
        return self._verdicts[key]

    def own_verdict(self, at: Located) -> frozenset[str]:
        """The required events of the verdict it computes itself, none handed on."""
        return frozenset(self._passed(at, at.body.returned_strings, at.body.returned_names))

    def asserted_verdicts(self) -> set[tuple[str, str]]:
        """The functions of the test code whose verdict a function of the test code asserts,
        itself or handed on by the functions between them."""
        if self._asserted_verdicts is None:
            found: set[tuple[str, str]] = set()
            stack: list[Located] = []
            for file in self.project.files.values():
                if not self.is_test_code(file):
                    continue
                for body in file.facts.bodies:
                    if body.has_assert:
                        at = Located(file, body)
                        stack += [t for callee in body.called for t in self.callees(at, callee)]
            while stack:
                target = stack.pop()
                key = (str(target.file.path), target.body.qualname)
                if key not in found:
                    found.add(key)
                    stack += [t for callee in target.body.relayed for t in self.callees(target, callee)]
            self._asserted_verdicts = found
        return self._asserted_verdicts

    def _checked_by_calls(self, at: Located, depth: int) -> frozenset[str]:
        """The required events the functions it calls check, once per function: call cycles
        (code that calls itself through other methods) are walked once, not again at every level."""
        key = (str(at.file.path), at.body.qualname)
        if key not in self._handed_on:
            self._handed_on[key] = frozenset()  # a cycle adds nothing to itself
            self._handed_on[key] = self._checked_by_callees(at, depth)
        return self._handed_on[key]

    def _checked_by_callees(self, at: Located, depth: int) -> frozenset[str]:
        if depth >= MAX_HELPER_DEPTH:
            return frozenset()
        found: set[str] = set()
        for callee in at.body.called:
            short = callee.rpartition(".")[2]
            if short == self.settings.helper or short in self.settings.validators:
                return frozenset(self.settings.events)
            if is_assert_call(callee):
                # ``bridge.notify_agent_started.assert_awaited_once()``
                found |= {self._sent_by_name(part) for part in callee.split(".")[:-1]} - {""}
            for target in self.callees(at, callee):
                # A validator that only returns its verdict checks nothing unless someone asserts
                # it; what it hands on to helpers that assert still counts.
                if at.body.has_assert:
                    found |= self.checked(target, depth + 1) | self.verdict(target)
                elif target.body.has_assert:
                    found |= self.checked(target, depth + 1)
                else:
                    found |= self._checked_by_calls(target, depth + 1)
        # ``self.verify_events(events, ["agent_started", ...])``: a helper that asserts checks
        # what it is given.
        for call in at.body.call_args:
            if not is_assert_call(call.callee) and any(t.body.has_assert for t in self.callees(at, call.callee)):
                found |= self._passed(at, call.strings, call.names)
        return frozenset(found)

    # -- what a function sends -----------------------------------------------------------------
    def sent(self, at: Located, depth: int = 0) -> frozenset[str]:
        """The required events it sends: by a method named after one (``notify_agent_started``),
        by a configured emitter (all of them), by a sending call given their names (``await
        manager.send(event)`` over a list, a scripted replay), or through the test code it calls.
        A call under an ``if`` (a random failure, an optional step) or one asserted to fail may
        not send: it does not count."""
        key = (str(at.file.path), at.body.qualname)
        if key in self._sent:
            return self._sent[key]
        self._sent[key] = frozenset()  # a cycle adds nothing to itself
        found: set[str] = set()
        called = set(at.body.called) - set(at.body.unsure_called)
        for callee in called:
            short = callee.rpartition(".")[2]
            if short in self.settings.emitters:
                found |= set(self.settings.events)
            elif not is_assert_call(callee):
                found.add(self._sent_by_name(short))
        for call in at.body.call_args:
            if not call.unsure and SENDING_RE.match(call.callee.rpartition(".")[2]):
                found |= self._passed(at, call.strings, call.names)
        if depth < MAX_HELPER_DEPTH:
            for callee in called:
                for target in self.callees(at, callee):
                    found |= self.sent(target, depth + 1)
        # An event whose sending method the test makes raise is not sent: an error path.
        found -= {self._sent_by_name(method) for method in at.body.raising}
        self._sent[key] = result = frozenset(found - {""})
        return result

    def _sent_by_name(self, name: str) -> str:
        found = self._sender_names.get(name)
        if found is None:  # the same names come back in every module: matched once each
            match = self._sender.match(name)
            found = self._sender_names[name] = self._names[match.group("event")] if match else ""
        return found

    def _passed(self, at: Located, strings: Sequence[str], names: Sequence[str]) -> set[str]:
        """The required events among strings (an event's name, or that of the method that sends it:
        ``"notify_agent_started"``) and the constants named (what they hold, or, where fixlint
        cannot read them, what their name says: ``EventType.AGENT_STARTED``)."""
        events = set(self.settings.events)
        found = {self._sent_by_name(string) or string for string in strings} & events
        for name in names:
            value = self.constant(at, name)
            if value is None:  # ``EventType.AGENT_STARTED`` of a module fixlint cannot read: by its name
                value = [name.rpartition(".")[2].lower()]
            found |= set(value) & events
        return found

    # -- names across the tree -------------------------------------------------------------
    def is_test_code(self, file: SourceFile) -> bool:
        """A test module, a conftest, or a module in a folder of tests or named by ``helper-paths``."""
        key = str(file.path)
        if key not in self._test_code:
            self._test_code[key] = is_test_code(file.path, file.config, self.settings.helper_paths)
        return self._test_code[key]

    def callees(self, at: Located, callee: str) -> tuple[Located, ...]:
        """The functions of the test code a call may run: a function it names (imports followed),
        a method of its own class (``self.check``), or methods of that name (``validator.check``)
        when what it is called on is no mock."""
        owner, _, short = callee.rpartition(".")
        cls = at.body.qualname.rpartition(".")[0] if owner == "self" else ""
        # The tests of a module call the same helpers: their answer depends on no more than this.
        key = (str(at.file.path), callee, cls)
        found = self._callees.get(key)
        if found is None:
            found = self._callees[key] = tuple(
                target for target in self._find_callees(at, callee, owner, short, cls) if self.is_test_code(target.file)
            )
        return found

    def _find_callees(self, at: Located, callee: str, owner: str, short: str, cls: str) -> Iterator[Located]:
        file = at.file
        if cls:
            body = self._body(file, f"{cls}.{short}")
            if body is not None:
                yield Located(file, body)
            return
        resolved = self.project.resolve_definition(file, callee)
        if resolved is not None:
            target = self.project.files.get(resolved[0])
            body = self._body(target, resolved[1]) if target else None
            if target is not None and body is not None:
                yield Located(target, body)
            return
        # ``validator = EventValidator(); validator.check()``, ``EventValidator(...).check()``
        maker = self._made_by(at, owner) or (owner if owner.rpartition(".")[2][:1].isupper() else None)
        if maker is not None:
            made_by = self.project.resolve_definition(file, maker)
            target = self.project.files.get(made_by[0]) if made_by is not None else None
            body = self._body(target, f"{made_by[1]}.{short}") if target is not None and made_by else None
            if target is not None and body is not None:
                yield Located(target, body)
                return
            if made_by is None:
                return  # a class fixlint cannot see (defined in the test, say): no method of another by its name
        if owner and not self._is_mock(at, owner):
            yield from self._methods_named(at.file, short)

    @staticmethod
    def _is_mock(at: Located, owner: str) -> bool:
        """``mock_bridge.send(...)``, ``self.mock_ws.send(...)``, ``m.send(...)`` after ``m = MagicMock()``."""
        return "mock" in owner.lower() or owner.partition(".")[0] in at.body.mock_locals

    def constant(self, at: Located, name: str) -> Optional[Sequence[str]]:
        """The strings of a constant the function reads: its module's, its class's (``self.X``,
        ``Class.X``, ``instance.X``), or one imported from a helper module."""
        constants = at.file.facts.string_constants
        if name.startswith(("self.", "cls.")) and "." in at.body.qualname:
            found = constants.get(f"{at.body.qualname.rpartition('.')[0]}.{name.partition('.')[2]}")
            if found is not None or name.count(".") == 1:
                return found
        if name in constants:
            return constants[name]
        resolved = self.project.resolve_definition(at.file, name)
        if resolved is not None and resolved[0] in self.project.files:
            found = self.project.files[resolved[0]].facts.string_constants.get(resolved[1])
            if found is not None:
                return found
        # ``EventType.AGENT_STARTED``: the class imported, its attribute read where it is defined.
        owner, _, attribute = name.rpartition(".")
        owner = self._made_by(at, owner) or owner  # ``validator.REQUIRED`` after ``validator = Validator()``
        resolved = self.project.resolve_definition(at.file, owner) if owner else None
        if resolved is not None and resolved[0] in self.project.files:
            return self.project.files[resolved[0]].facts.string_constants.get(f"{resolved[1]}.{attribute}")
        return None

    @staticmethod
    def _made_by(at: Located, owner: str) -> Optional[str]:
        """The class that made a local (``validator = Validator()``) or an attribute of ``self``
        (``self.config = TestConfig()``, in any method of the class: a setup method, say)."""
        made = at.body.instances.get(owner)
        if made is None and owner.startswith("self.") and "." in at.body.qualname:
            cls = at.body.qualname.rpartition(".")[0]
            for body in at.file.facts.bodies:
                if body.qualname.rpartition(".")[0] == cls and owner in body.instances:
                    return body.instances[owner]
        return made

    def _methods_named(self, file: SourceFile, short: str) -> Iterator[Located]:
        """The method of that name, when one class of the calling module, or else of the test code,
        alone defines it: fixlint does not know the type of ``validator`` in ``validator.check()``
        (a fixture's value, say), so a common name proves nothing."""
        mine = self._module_methods(file).get(short, [])
        if mine:
            if len(mine) == 1:
                yield mine[0]
            return
        if self._methods is None:
            self._methods = {}
            for file in self.project.files.values():
                if not self.is_test_code(file):
                    continue
                for body in file.facts.bodies:
                    if "." in body.qualname:
                        self._methods.setdefault(body.qualname.rpartition(".")[2], []).append(Located(file, body))
        candidates = self._methods.get(short, [])
        if len(candidates) == 1:
            yield candidates[0]

    def _module_methods(self, file: SourceFile) -> dict[str, list[Located]]:
        key = str(file.path)
        if key not in self._by_module:
            methods: dict[str, list[Located]] = {}
            for body in file.facts.bodies:
                if body.qualname.count(".") == 1:  # of a class of the module
                    methods.setdefault(body.qualname.rpartition(".")[2], []).append(Located(file, body))
            self._by_module[key] = methods
        return self._by_module[key]

    @staticmethod
    def _body(file: Optional[SourceFile], qualname: str) -> Optional[FunctionBody]:
        if file is None:
            return None
        return file.bodies.get(qualname)


# The models of each live project (a run), by settings; an entry goes with its project.
_MODELS: weakref.WeakKeyDictionary[Project, dict[EventSettings, EventModel]] = weakref.WeakKeyDictionary()


def event_model(project: Project, options: Mapping[str, Any]) -> EventModel:
    """One model per run and settings, shared by the rules of the family."""
    settings = EventSettings.from_options(options)
    models = _MODELS.setdefault(project, {})
    if settings not in models:
        models[settings] = EventModel(project, settings)
    return models[settings]
