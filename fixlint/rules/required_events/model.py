"""Which events a function sends and which it checks, followed through the helpers and
validators it calls in the tree: the model both required-events rules read."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from fixlint.errors import ConfigError
from fixlint.facts.model import FunctionBody
from fixlint.modules import SourceFile
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Option

SENDING_VERBS = ("notify", "send", "emit", "publish", "dispatch", "broadcast", "fire", "trigger")
# Calls that send what a test lists (``await manager.send(event)``, a scripted replay).
SENDING_RE = re.compile(rf"^_*(?:{'|'.join(SENDING_VERBS)}|replay)", re.I)
# How deep helpers calling helpers are followed.
MAX_HELPER_DEPTH = 40


REQUIRED_EVENTS = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]


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
    "event-suite-paths": Option(
        ["**/mission_critical/**", "*websocket*", "*agent_event*"],
        "Suites where a test that sends events must check them: globs of the path from the rootdir, "
        "or of the file name.",
    ),
    "event-suite-marks": Option([], "Marks of tests that belong to the event suites too."),
    "emitters": Option([], "Calls that run a flow which sends the events (an agent runner, say)."),
    "validators": Option([], "Calls that check every required event, wherever they are defined."),
    "collections": Option(
        ["sent_events", "events", "received_events", "messages"], "Names of the variables that hold the sent events."
    ),
}


@dataclass(frozen=True)
class EventSettings:
    events: tuple[str, ...]
    helper: str
    emitters: tuple[str, ...]  # calls that run a flow which sends the events
    validators: tuple[str, ...]  # calls that check every required event, wherever they live

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> EventSettings:
        return cls(
            tuple(options["events"]), options["helper"], tuple(options["emitters"]), tuple(options["validators"])
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
        self._drives: dict[tuple[str, str], bool] = {}
        self._methods: Optional[dict[str, list[Located]]] = None
        self._callees: dict[tuple[str, str, str], tuple[Located, ...]] = {}
        verbs = "|".join(SENDING_VERBS)
        events = "|".join(re.escape(event) for event in settings.events)
        # ``notify_agent_started``, ``send_tool_executing_async``: a method that sends one event.
        self._sender = re.compile(rf"^_*(?:{verbs})_(?:{events})(?:_\w*)?$")

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

    def checked_by_hand(self, at: Located) -> frozenset[str]:
        """The required events the function's own checks cover, helpers aside: event names it
        asserts are present, and the constants it loops over asserting or subtracts from."""
        events = set(self.settings.events)
        found = set(at.body.asserted_strings) & events
        for constant in (*(loop.constant for loop in at.body.event_loops), *at.body.differences):
            found |= set(self.constant(at, constant) or ()) & events
        return frozenset(found)

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
            for target in self.callees(at, callee):
                # A validator that only returns its verdict checks nothing unless someone asserts
                # it; what it hands on to helpers that assert still counts.
                if at.body.has_assert or target.body.has_assert:
                    found |= self.checked(target, depth + 1)
                else:
                    found |= self._checked_by_calls(target, depth + 1)
        return frozenset(found)

    # -- what a function sends -----------------------------------------------------------------
    def drives(self, at: Located, depth: int = 0) -> bool:
        """It sends events: calls a method that sends one (``notify_agent_started``), runs a
        configured emitter, sends event names it lists or reads from a constant (a scripted
        replay), or calls a helper that does."""
        key = (str(at.file.path), at.body.qualname)
        if key in self._drives:
            return self._drives[key]
        self._drives[key] = False
        shorts = [callee.rpartition(".")[2] for callee in at.body.called]
        result = (
            any(self._sender.match(short) for short in shorts)
            or any(short in self.settings.emitters for short in shorts)
            # The constants it reads are looked up only for a function that calls a sender.
            or (
                any(SENDING_RE.match(short) for short in shorts)
                and any(self._names_event(text) for text in self._listed(at))
            )
            or (
                depth < MAX_HELPER_DEPTH
                and any(
                    self.drives(target, depth + 1) for callee in at.body.called for target in self.callees(at, callee)
                )
            )
        )
        self._drives[key] = result
        return result

    def _listed(self, at: Located) -> Iterator[str]:
        """The strings the function lists, and those of the constants it reads."""
        yield from at.body.strings
        for name in at.body.names:
            yield from self.constant(at, name) or ()

    def _names_event(self, text: str) -> bool:
        return text in self.settings.events or bool(self._sender.match(text))

    # -- names across the tree -------------------------------------------------------------
    def callees(self, at: Located, callee: str) -> tuple[Located, ...]:
        """The functions of the tree a call may run: a function it names (imports followed), a
        method of its own class (``self.check``), or methods of that name (``validator.check``)."""
        owner, _, short = callee.rpartition(".")
        cls = at.body.qualname.rpartition(".")[0] if owner == "self" else ""
        # The tests of a module call the same helpers: their answer depends on no more than this.
        key = (str(at.file.path), callee, cls)
        found = self._callees.get(key)
        if found is None:
            found = self._callees[key] = tuple(self._find_callees(at.file, callee, owner, short, cls))
        return found

    def _find_callees(self, file: SourceFile, callee: str, owner: str, short: str, cls: str) -> Iterator[Located]:
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
        if owner:
            yield from self._methods_named(short)

    def constant(self, at: Located, name: str) -> Optional[Sequence[str]]:
        """The strings of a constant the function reads: its module's, its class's (``self.X``,
        ``Class.X``), or one imported from a helper module."""
        constants = at.file.facts.string_constants
        if name.startswith("self.") and "." in at.body.qualname:
            return constants.get(f"{at.body.qualname.rpartition('.')[0]}.{name[5:]}")
        if name in constants:
            return constants[name]
        resolved = self.project.resolve_definition(at.file, name)
        if resolved is not None and resolved[0] in self.project.files:
            return self.project.files[resolved[0]].facts.string_constants.get(resolved[1])
        return None

    def _methods_named(self, short: str) -> Iterator[Located]:
        """The method of that name, when one class of the tree alone defines it: fixlint does not
        know the type of ``validator`` in ``validator.check()``, so a common name proves nothing."""
        if self._methods is None:
            self._methods = {}
            for file in self.project.files.values():
                for body in file.facts.bodies:
                    if "." in body.qualname:
                        self._methods.setdefault(body.qualname.rpartition(".")[2], []).append(Located(file, body))
        candidates = self._methods.get(short, [])
        if len(candidates) == 1:
            yield candidates[0]

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
