from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from fixlint.facts.model import EventCheck
from fixlint.findings import Applicability, Edit, Finding, Fix
from fixlint.pytest_model.collection import is_test_code
from fixlint.pytest_model.config import PytestConfig
from fixlint.pytest_model.project import Project
from fixlint.rules.base import Example, Rule
from fixlint.rules.required_events.edits import (
    delete_lines,
    helper_call,
    helper_import,
    helper_problem,
    replace_statement,
)
from fixlint.rules.required_events.missing import HELPERS
from fixlint.rules.required_events.model import EVENT_OPTIONS, EventModel, Located, event_model


class RequiredEventsStandard(Rule):
    """## What it does
    Finds tests and helpers that check the full set of required events by hand (an assert per
    event, a loop over a required list, a set difference they assert, a validator of their own
    whose verdict a test asserts) where the standard helper (`helper`, default
    `validate_required_events`) should be called. Code that computes which events are missing
    and asserts nothing (a report) is not a check, nor is an assert that events are absent
    (`assert len(missing) > 0`, or a validator's report of them under test: `report["missing"] ==
    REQUIRED`: the helper would invert it), a count of how many were seen (`len(REQUIRED & seen)`),
    an assert of constants alone (that an enum has its members), or a check of their order
    (`types == [...]`, `events[0]["type"] == ...`), which is stricter than the helper. Checks made
    only when an event came (`if "tool_executing" in types: assert ...`, the branches of `if
    event["type"] == ...`) do not require it: looser than the helper, they do not count. Nor do
    checks of messages the test makes up itself and sends nowhere (`{"type": name, ...}` per
    event through JSON and back, or fed to a capture whose record it then checks): they test the
    making of the messages or the capture, not what a flow sent.

    ## Why is this bad?
    Every hand-written check is one more place to update when the set changes, and they drift
    apart: one checks `event_type`, another `type`, a third forgets an event. One helper, called
    one way, keeps every test honest and the failure message the same.

    ## Example
    ```python
    types = [event["event_type"] for event in sent_events]
    for required in REQUIRED_EVENTS:
        assert required in types
    ```

    ## Use instead
    ```python
    await validate_required_events(sent_events)
    ```

    ## Fix safety
    Safe when the check asserts exactly the required set on one collection of sent events: an
    `assert "<event>" in <types>` per required event, or a loop over a constant that holds the
    required set. The fix replaces it with one call of the helper on the events (the list the
    types are built from, or a variable named as in `collections`), awaited when the helper is
    async and the function is `async def`, and adds the helper's import. Checks of other events
    stay in place. No fix for other shapes (set differences, validator classes), where the
    helper module is missing from the tree, or where an async helper meets a sync function.

    ## Options
    As `required-events-missing`: `[tool.fixlint.required-events]`.
    """

    name = "required-events-standard"
    family = "required-events"
    reads_imported_modules = True
    blocks = "maintenance"
    summary = "The required events checked by hand instead of by the standard helper"
    fix = Applicability.SAFE
    options_schema = EVENT_OPTIONS
    examples = (
        Example(
            files={
                **HELPERS,
                "test_agent_events.py": (
                    "import pytest\n\n\n"
                    "@pytest.mark.asyncio\n"
                    "async def test_flow(sent_events):\n"
                    "    types = [e['event_type'] for e in sent_events]\n"
                    "    assert 'agent_started' in types\n"
                    "    assert 'agent_thinking' in types\n"
                    "    assert 'tool_executing' in types\n"
                    "    assert 'tool_completed' in types\n"
                    "    assert 'agent_completed' in types\n"
                    "    assert 'usage_reported' in types\n"
                ),
            },
            expected=("test_agent_events.py:5 required-events-standard",),
            fixed={
                "test_agent_events.py": (
                    "import pytest\n"
                    "from helpers import validate_required_events\n\n\n"
                    "@pytest.mark.asyncio\n"
                    "async def test_flow(sent_events):\n"
                    "    types = [e['event_type'] for e in sent_events]\n"
                    "    await validate_required_events(sent_events)\n"
                    "    assert 'usage_reported' in types\n"
                ),
            },
        ),
        Example(
            # A subset on purpose: not the full set, so not a hand-written copy of the helper.
            files={**HELPERS, "test_agent_events.py": "def test_start(types):\n    assert 'agent_started' in types\n"},
        ),
    )

    def reads_bodies(self, path: Path, config: PytestConfig) -> bool:
        return is_test_code(path, config, self.options["helper-paths"])

    def check_project(self, project: Project) -> Iterator[Finding]:
        project.load_imported_modules()
        model = event_model(project, self.options)
        required = set(self.options["events"])
        for path in sorted(project.files):
            file = project.files[path]
            for body in file.facts.bodies:
                if body.qualname == self.options["helper"]:
                    continue
                at = Located(file, body)
                # A check of the order is stricter than the helper, and one made only when an event
                # came is looser: neither is a copy of it.
                checked = model.checked_by_hand(at, in_order=False, only_if_sent=False)
                if checked != required and not self._asserted_verdict(model, at, required):
                    continue
                fix, reason = self._fix(project, model, at)
                message = (
                    f"`{body.qualname}` checks the {len(required)} required events by hand: "
                    f"call `{self.options['helper']}(...)` instead"
                )
                if fix is None:
                    message += f"; no fix: {reason}"
                yield Finding(
                    self.name,
                    str(path),
                    body.line,
                    body.column,
                    body.line,
                    body.column,
                    message,
                    fix=fix,
                    data={"function": body.qualname},
                )

    @staticmethod
    def _asserted_verdict(model: EventModel, at: Located, required: set[str]) -> bool:
        """A validator that returns its verdict on every required event, which a caller asserts; a
        report that computes what is missing and asserts nothing is no check."""
        return model.own_verdict(at) == required and (str(at.file.path), at.body.qualname) in model.asserted_verdicts()

    def _fix(self, project: Project, model: EventModel, at: Located) -> tuple[Optional[Fix], str]:
        problem = helper_problem(project, at.file, self.options, at.body)
        if problem:
            return None, problem
        rewrite = self._per_event_asserts(at) or self._loop(model, at)
        if rewrite is None:
            return (
                None,
                "fixlint rewrites only an assert per event, or a loop over the required list, on one collection",
            )
        return Fix(Applicability.SAFE, (*rewrite, *helper_import(project, at.file, self.options))), ""

    def _events_of(self, at: Located, collection: str) -> Optional[str]:
        """The sent events behind a collection a check reads: the events its types are listed
        from, or the collection itself when it is a variable or parameter named as one."""
        if collection in at.body.derived:
            return at.body.derived[collection]
        bound = set(at.body.locals) | set(at.body.params)
        return collection if collection in self.options["collections"] and collection in bound else None

    def _per_event_asserts(self, at: Located) -> Optional[list[Edit]]:
        """One ``assert "<event>" in types`` per required event, one after another on one collection."""
        required = self.options["events"]
        by_collection: dict[str, dict[str, EventCheck]] = {}
        for check in at.body.event_checks:
            if check.event in required:
                by_collection.setdefault(check.collection, {}).setdefault(check.event, check)
        for collection, checks in by_collection.items():
            events = self._events_of(at, collection)
            if events is None or set(checks) != set(required):
                continue
            statements = sorted(checks.values(), key=lambda check: check.span.line)
            # Anything between them (another send, a rebuilt list) may be what they check after.
            if any(later.span.line != earlier.span.end_line + 1 for earlier, later in zip(statements, statements[1:])):
                continue
            call = helper_call(self.options, at.body, events)
            return [
                replace_statement(at.file, statements[0].span, call),
                *(delete_lines(at.file, s.span) for s in statements[1:]),
            ]
        return None

    def _loop(self, model: EventModel, at: Located) -> Optional[list[Edit]]:
        for loop in at.body.event_loops:
            constant = model.constant(at, loop.constant)
            events = self._events_of(at, loop.collection)
            if (
                loop.top_level
                and constant is not None
                and set(constant) == set(self.options["events"])
                and events is not None
            ):
                return [replace_statement(at.file, loop.span, helper_call(self.options, at.body, events))]
        return None
