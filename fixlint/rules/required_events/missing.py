from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

from fixlint.facts.event_body import HELPER_KEY
from fixlint.facts.model import FunctionBody
from fixlint.findings import Applicability, Finding, Fix
from fixlint.modules import SourceFile
from fixlint.pytest_model.collection import in_testpaths, is_test_code
from fixlint.pytest_model.config import PytestConfig
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
    Judges event coverage the way the WebSocket report does, per suite file. It reports:
    - a **test** that promises the whole flow and checks fewer events: its name says it covers
      all of them (`test_all_five_events_...`), or it checks some events and sends every
      required event itself (`events`, by default the report's five), directly or through the
      test code it calls, or says in its docstring that it covers them all;
    - a **test module** whose tests together send every required event, but where no test checks
      some of them (reported when no test of the module is). A test that checks no event at all
      is about something else (state, load, isolation): it counts for its module only.
    A module or test named for another subject (`other-subjects`: authentication, timing, load,
    routing, queues) uses the events as traffic: sending all of them there promises nothing.
    The suite is what `pytest` collects: with `testpaths` set, test modules outside them (scripts
    named `test_*.py`) are not judged.

    A function sends an event when it calls a method named after it (`notify_agent_started`,
    `send_tool_executing`, `emit_thinking`), a configured emitter (`emitters`: all of them), or a
    sending call (`send`, `emit`, `notify`...) given its name, directly, through a constant or a
    loop over a list; not under an `if` (a step some runs skip), nor when the test asserts the
    send failed or makes the sending method raise (`bridge.notify_agent_started.side_effect =
    ConnectionError()`: an error path). It checks one when an assert (or an assert method: `self.assertEqual`,
    `self.assert_events_sent([...])`, `mock.notify_agent_started.assert_awaited()`, what
    `mock.notify_agent_completed.call_args` holds) reads its
    name, directly or through locals and constants as bound before it (`assert events ==
    expected`, a loop over a required list), says that what was not sent is empty (`missing =
    REQUIRED - seen; assert len(missing) == 0`), or that the events of its type are not
    (`assert len([e for e in sent if e["type"] == "agent_thinking"]) > 0`), or it calls a helper
    of the test code that checks it, a validator whose verdict it asserts (returned, handed on
    in a tuple or a results dict, or `return False` early from a loop over a required list),
    the standard helper, or a configured validator (all of them). A list of missing events that
    is only logged checks nothing. Calls are followed into test code only: tests, conftests,
    modules in folders named like tests (`tests/`, `test_framework/`) and `helper-paths`; never
    into production code, and never into a method called on a mock.

    ## Why is this bad?
    The five events are what a user sees of an agent at work; a suite of the flow that does not
    prove all of them lets a missing one ship. Tests of one event, of errors, routing or timing
    are not reported: it is the suite, or the test that says it runs the whole flow, that owes
    the check.

    ## Example
    ```python
    async def test_flow(bridge, sent_events):
        await bridge.notify_agent_started(run_id)
        ...  # the other four events
        assert "agent_started" in [e["event_type"] for e in sent_events]
    ```

    ## Use instead
    ```python
    async def test_flow(bridge, sent_events):
        await bridge.notify_agent_started(run_id)
        ...  # the other four events
        await validate_required_events(sent_events)
    ```

    ## Fix safety
    Unsafe: it adds an assertion that may fail. For a test, where its collection of sent events
    can be told (a variable named as in `collections`, the list a list of event types is built
    from, or a `.messages` it reads), the fix adds the helper call at the end of the test, and
    its import. Otherwise, or where the helper module is missing from the tree, or the helper
    is async and the test is not, there is no fix and the message says why. A module has no
    fix: which of its tests should check is the author's call.

    ## Options
    `[tool.fixlint.required-events]`: `events`, `helper`, `helper-module`, `helper-async`,
    `helper-paths`, `emitters`, `validators`, `collections`, `other-subjects`.
    """

    name = "required-events-missing"
    family = "required-events"
    reads_imported_modules = True
    blocks = "requirement"
    summary = "A test of the agent event flow does not check every required event"
    fix = Applicability.UNSAFE
    options_schema = EVENT_OPTIONS
    examples = (
        Example(
            files={
                **HELPERS,
                "test_agent_events.py": (
                    "async def test_all_five_events(bridge):\n"
                    "    sent_events = []\n"
                    "    await bridge.notify_agent_started(sent_events)\n"
                    "    assert 'agent_started' in [e['event_type'] for e in sent_events]\n"
                ),
            },
            expected=("test_agent_events.py:1 required-events-missing",),
            fixed={
                "test_agent_events.py": (
                    "from helpers import validate_required_events\n"
                    "async def test_all_five_events(bridge):\n"
                    "    sent_events = []\n"
                    "    await bridge.notify_agent_started(sent_events)\n"
                    "    assert 'agent_started' in [e['event_type'] for e in sent_events]\n"
                    "    await validate_required_events(sent_events)\n"
                ),
            },
        ),
        Example(
            # Together the tests send every event; `tool_completed` is never checked.
            files={
                **HELPERS,
                "test_notifier.py": (
                    "async def test_start(bridge, sent):\n"
                    "    await bridge.notify_agent_started('r')\n"
                    "    await bridge.notify_agent_thinking('r')\n"
                    "    assert [e['event_type'] for e in sent] == ['agent_started', 'agent_thinking']\n\n"
                    "async def test_tools(bridge, sent):\n"
                    "    await bridge.notify_tool_executing('r')\n"
                    "    await bridge.notify_tool_completed('r')\n"
                    "    assert sent[0]['event_type'] == 'tool_executing'\n\n"
                    "async def test_end(bridge, sent):\n"
                    "    await bridge.notify_agent_completed('r')\n"
                    "    assert sent[-1]['event_type'] == 'agent_completed'\n"
                ),
            },
            expected=("test_notifier.py:1 required-events-missing",),
        ),
        Example(
            # One event's format: a test of its own, not of the whole flow.
            files={
                **HELPERS,
                "test_thinking.py": (
                    "async def test_thinking_payload(bridge, sent):\n"
                    "    await bridge.notify_agent_thinking('r', 'step 1')\n"
                    "    assert sent[0]['payload'] == 'step 1'\n"
                ),
            },
        ),
    )

    def reads_bodies(self, path: Path, config: PytestConfig) -> bool:
        return is_test_code(path, config, self.options["helper-paths"])

    def check_project(self, project: Project) -> Iterator[Finding]:
        project.load_imported_modules()
        model = event_model(project, self.options)
        events = tuple(self.options["events"])
        promise = _promise_pattern(len(events))
        by_file: dict[Path, dict[str, tuple[TestItem, FunctionBody]]] = {}
        for test in project.tests():
            if not in_testpaths(test.file.path, test.config):
                continue  # the suite is what `pytest` collects: a script beside it is its author's
            body = _body_of(test)
            if body is not None:  # a test inherited by several classes is one function
                by_file.setdefault(test.file.path, {}).setdefault(body.qualname, (test, body))
        for path in sorted(by_file):
            sent_in_file: set[str] = set()
            checked_in_file: set[str] = set()
            reported = False
            for test, body in by_file[path].values():
                at = Located(test.file, body)
                sent, checked = model.sent(at), model.checked(at)
                sent_in_file |= sent
                checked_in_file |= checked
                missing = [event for event in events if event not in checked]
                if not missing:
                    continue
                # A test that checks no event at all is about something else (state, load,
                # isolation): the module's finding says what its tests never check.
                name = body.qualname.rpartition(".")[2]
                if _names_the_flow(promise.search(name), len(events), sent | checked, events):
                    promised = "promises every required event by its name"
                elif checked and set(events) <= sent and not self._other_subject(name):
                    promised = f"sends all {len(events)} required events"
                elif checked and promise.search(body.docstring):
                    promised = "promises every required event in its docstring"
                else:
                    continue
                reported = True
                yield self._test_finding(project, test, body, promised, missing, checked)
            unchecked = [event for event in events if event not in checked_in_file]
            if not reported and unchecked and set(events) <= sent_in_file and not self._other_subject(path.stem):
                yield self._file_finding(path, unchecked)

    def _other_subject(self, name: str) -> bool:
        """``test_token_refresh``, ``test_event_timing_performance``: named for another subject."""
        return not set(name.lower().split("_")).isdisjoint(self.options["other-subjects"])

    def _test_finding(
        self,
        project: Project,
        test: TestItem,
        body: FunctionBody,
        promised: str,
        missing: list[str],
        checked: frozenset[str],
    ) -> Finding:
        if checked:
            message = f"`{body.qualname}` {promised} but its checks miss {code_list(missing)}"
        else:
            message = f"`{body.qualname}` {promised} but checks none of them"
        fix, reason = self._fix(project, test.file, body)
        message += f"; no fix: {reason}" if fix is None else f": call `{self.options['helper']}(...)`"
        return Finding(
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

    def _file_finding(self, path: Path, unchecked: list[str]) -> Finding:
        events = self.options["events"]
        message = (
            f"the tests of this module send all {len(events)} required events, but none checks "
            f"{code_list(unchecked)}: check them in the test that runs the whole flow "
            f"(`{self.options['helper']}(...)`)"
        )
        return Finding(self.name, str(path), 1, 1, 1, 1, message, data={"module": str(path), "missing": unchecked})

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


NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
# Words that may stand between "all" and "events" in a name that promises every required event.
PROMISE_WORDS = "the|required|critical|websocket|agent|expected|mandatory|essential|core|key|business|lifecycle"
GENERIC_PROMISE_WORDS = {"the", "expected"}  # any subject's events may be "all the expected events"


def _promise_pattern(count: int) -> re.Pattern[str]:
    """``test_all_five_events``, ``all 5 required WebSocket events``, ``every required event``."""
    number = str(count) + (f"|{NUMBER_WORDS[count - 1]}" if count <= len(NUMBER_WORDS) else "")
    between = rf"(?:(?:{PROMISE_WORDS}|{number})[\s_-]+)"
    return re.compile(
        rf"(?<![a-z0-9])(?:(?:all|every)[\s_-]+{between}{{1,3}}|(?:{number})[\s_-]+{between}{{0,2}})"
        rf"events?(?![a-z0-9])",
        re.I,
    )


def _names_the_flow(match: Optional[re.Match[str]], count: int, touched: frozenset[str], events: tuple) -> bool:
    """A name that promises every event promises the required ones when it counts them or calls
    them required (``all_five``, ``every_critical``), or when the test sends or checks one of
    them: "all the events" of a test that touches none are its own subject's events."""
    if match is None:
        return False
    words = set(re.split(r"[\s_-]+", match.group(0).lower()))
    specific = {str(count), NUMBER_WORDS[count - 1] if count <= len(NUMBER_WORDS) else ""}
    specific |= set(PROMISE_WORDS.split("|")) - GENERIC_PROMISE_WORDS
    return bool(words & specific) or not touched.isdisjoint(events)


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
