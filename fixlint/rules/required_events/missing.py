from __future__ import annotations

from collections.abc import Iterator
from typing import Optional

from fixlint.facts.event_body import HELPER_KEY
from fixlint.facts.model import FunctionBody
from fixlint.findings import Applicability, Finding, Fix
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import in_suite
from fixlint.pytest_model.project import Project, TestItem
from fixlint.rules.base import Example, Rule, code_list
from fixlint.rules.required_events.edits import append_call, helper_call, helper_import, helper_problem
from fixlint.rules.required_events.model import EVENT_OPTIONS, Located, event_model

HELPERS = {
    "helpers.py": (
        "async def validate_required_events(sent_events):\n"
        "    required = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed']\n"
        "    found = [event.get('event_type') for event in sent_events]\n"
        "    missing = [event for event in required if event not in found]\n"
        "    assert not missing, f'Missing required events: {missing}'\n"
    ),
    "pyproject.toml": '[tool.fixlint.required-events]\nhelper-module = "helpers"\n',
}


class RequiredEventsMissing(Rule):
    """## What it does
    Finds tests (functions or methods, sync or async, parametrized or not) that drive the
    agent event flow and check the events it sent, but whose checks do not cover every
    required event (`events`, by default the report's five). Checks are followed through the
    helpers and validators the test calls in the tree: functions of its module, of a helper
    module it imports from, and methods (`validator.validate_critical_requirements()`), with the
    constants they read (`REQUIRED_EVENTS`). A call of the standard helper, or of a configured
    validator, covers them all. In the event suites (`event-suite-paths`, `event-suite-marks`),
    a test that drives the flow and checks no event at all is reported too.

    A test drives the flow when it calls a method named after an event (`notify_agent_started`,
    `send_tool_executing`), a configured emitter (`emitters`), sends event names it lists
    (`await manager.send(event)` over a list), or calls a helper of the tree that does.

    ## Why is this bad?
    The five events are what a user sees of an agent at work; a test of the flow that does not
    prove all of them lets a missing one ship.

    ## Example
    ```python
    async def test_flow(bridge, sent_events):
        await bridge.notify_agent_started(run_id)
        ...
        assert "agent_started" in [e["event_type"] for e in sent_events]
    ```

    ## Use instead
    ```python
    async def test_flow(bridge, sent_events):
        await bridge.notify_agent_started(run_id)
        ...
        await validate_required_events(sent_events)
    ```

    ## Fix safety
    Unsafe: it adds an assertion that may fail. Where the test's collection of sent events can
    be told (a variable named as in `collections`, the list a list of event types is built
    from, or a `.messages` it reads), the fix adds the helper call at the end of the test, and
    its import. Otherwise, or where the helper module is missing from the tree, or the helper
    is async and the test is not, there is no fix and the message says why.

    ## Options
    `[tool.fixlint.required-events]`: `events`, `helper`, `helper-module`, `helper-async`,
    `event-suite-paths`, `event-suite-marks`, `emitters`, `validators`, `collections`.
    """

    name = "required-events-missing"
    family = "required-events"
    summary = "A test of the agent event flow does not check every required event"
    fix = Applicability.UNSAFE
    options_schema = EVENT_OPTIONS
    examples = (
        Example(
            files={
                **HELPERS,
                "test_agent_events.py": (
                    "async def test_flow(bridge):\n"
                    "    sent_events = []\n"
                    "    await bridge.notify_agent_started(sent_events)\n"
                    "    assert 'agent_started' in [e['event_type'] for e in sent_events]\n"
                ),
            },
            expected=("test_agent_events.py:1 required-events-missing",),
            fixed={
                "test_agent_events.py": (
                    "from helpers import validate_required_events\n"
                    "async def test_flow(bridge):\n"
                    "    sent_events = []\n"
                    "    await bridge.notify_agent_started(sent_events)\n"
                    "    assert 'agent_started' in [e['event_type'] for e in sent_events]\n"
                    "    await validate_required_events(sent_events)\n"
                ),
            },
        ),
        Example(
            # Sends nothing: a test of another flow.
            files={**HELPERS, "test_websocket_auth.py": "def test_login(client):\n    assert client.login('u', 'p')\n"},
        ),
    )

    def check_project(self, project: Project) -> Iterator[Finding]:
        project.load_imported_modules()
        model = event_model(project, self.options)
        events = self.options["events"]
        for test in list(project.tests()):
            body = _body_of(test)
            if body is None:
                continue
            at = Located(test.file, body)
            if not model.drives(at):
                continue
            checked = model.checked(at)
            missing = [event for event in events if event not in checked]
            if not missing:
                continue
            if not checked and not self._in_event_suite(test):
                continue
            if checked:
                message = f"`{body.qualname}` sends the flow's events but its checks miss {code_list(missing)}"
            else:
                message = f"`{body.qualname}` sends the flow's events and checks none of the {len(events)} required"
            fix, reason = self._fix(project, test.file, body)
            message += f"; no fix: {reason}" if fix is None else f": call `{self.options['helper']}(...)`"
            yield Finding(
                self.name,
                str(test.file.path),
                body.line,
                body.column,
                body.line,
                body.column,
                message,
                fix=fix,
                data={"test": test.nodeid, "missing": missing, "checked": sorted(checked)},
            )

    def _in_event_suite(self, test: TestItem) -> bool:
        if in_suite(test.file.path, test.config.rootdir, self.options["event-suite-paths"]):
            return True
        marks = set(self.options["event-suite-marks"])
        return any(marks & set(m.names) for m in test.marks())

    def _fix(self, project: Project, file: SourceFile, body: FunctionBody) -> tuple[Optional[Fix], str]:
        problem = helper_problem(project, file, self.options, body)
        if problem:
            return None, problem
        if not body.end_line:
            return None, f"the body of `{body.qualname}` stands on its `def` line"
        if body.keys and HELPER_KEY not in body.keys and not body.derived:
            keys = code_list(body.keys)
            return None, f"the test keys its events by {keys}, the helper reads `{HELPER_KEY}`"
        collection = _collection(body, self.options["collections"])
        if collection is None:
            return None, "fixlint cannot tell which collection holds the sent events"
        edits = [
            append_call(file, body, helper_call(self.options, body, collection)),
            *helper_import(project, file, self.options),
        ]
        return Fix(Applicability.UNSAFE, tuple(edits)), ""


def _body_of(test: TestItem) -> Optional[FunctionBody]:
    qualname = f"{test.function.owner}.{test.function.name}" if test.function.owner else test.function.name
    return test.file.bodies.get(qualname)


def _collection(body: FunctionBody, collections: list[str]) -> Optional[str]:
    """The expression that holds the test's sent events, if the body shows one: the events its
    own checks list the types of, a variable or parameter named as a collection, or such an
    attribute of one (``manager.messages``)."""
    checked = [body.derived[check.collection] for check in body.event_checks if check.collection in body.derived]
    if checked:
        return checked[0]
    if body.derived:
        return next(iter(body.derived.values()))
    bound = set(body.locals) | set(body.params)
    for name in collections:
        if name in bound:
            return name
    for wanted in collections:  # in the order of the option: its first names are preferred
        for name in body.names:
            owner, _, attribute = name.rpartition(".")
            if owner in bound and attribute == wanted:
                return name
    return None
