# Tests that check all five through a verdict handed on, an emptiness assert or a mock's
# method named after an event's last word.
import unittest
from unittest.mock import MagicMock

from test_framework.recorder import Recorder, run_whole_flow

# A configuration per event: its keys are the events.
PER_EVENT = {
    "agent_started": {"at_most": 1},
    "agent_thinking": {"at_most": None},
    "tool_executing": {"at_most": None},
    "tool_completed": {"at_most": None},
    "agent_completed": {"at_most": 1},
}


def types_sent(recorder):
    return {event["event_type"] for event in recorder.sent}


def test_all_five_events_by_a_literal_difference():
    recorder = Recorder()
    run_whole_flow(recorder, "r1")
    expected = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}
    missing = expected - types_sent(recorder)
    if missing:
        print(f"missing: {missing}")  # a report beside the assert below
    assert len(missing) == 0, f"missing: {missing}"


def test_all_five_events_by_filtered_lists():
    recorder = Recorder()
    run_whole_flow(recorder, "r2")
    started = [e for e in recorder.sent if e["event_type"] == "agent_started"]
    thinking = [e for e in recorder.sent if e["event_type"] == "agent_thinking"]
    executing = [e for e in recorder.sent if e["event_type"] == "tool_executing"]
    completed = [e for e in recorder.sent if e["event_type"] == "tool_completed"]
    finished = [e for e in recorder.sent if e["event_type"] == "agent_completed"]
    assert len(started) > 0
    assert len(thinking) >= 1
    assert executing
    assert len(completed) != 0
    assert finished


def check_per_event(recorder):
    """A validator of the module: a verdict and what is missing."""
    seen = types_sent(recorder)
    failures = []
    for event, config in PER_EVENT.items():
        if event not in seen:
            failures.append(f"{event} never sent")
        elif config["at_most"] is not None and len(seen) < config["at_most"]:
            failures.append(f"{event} sent too often")
    return len(failures) == 0, failures


class Harness:
    """Runs the flow and hands on the validator's verdict in a results dict."""

    def __init__(self):
        self.recorder = Recorder()

    def run(self):
        run_whole_flow(self.recorder, "r3")

    def results(self):
        passed, failures = check_per_event(self.recorder)
        return {"validation_passed": passed, "failures": failures}


def test_all_five_events_through_a_results_dict():
    harness = Harness()
    harness.run()
    results = harness.results()
    assert results["validation_passed"], results["failures"]


class CompletenessValidator:
    REQUIRED = ("agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed")

    def __init__(self, recorder):
        self.recorder = recorder

    def missing_events(self):
        return set(self.REQUIRED) - types_sent(self.recorder)

    def validate(self):
        errors = []
        missing = self.missing_events()
        not_sent = set(self.REQUIRED) - types_sent(self.recorder)
        if not_sent:
            errors.append(f"missing: {not_sent}")
        return not errors, errors, missing

    def summary(self):
        ok, errors, _ = self.validate()
        return {"ok": ok, "errors": errors}


def test_all_five_events_by_a_class_verdict_handed_on():
    recorder = Recorder()
    run_whole_flow(recorder, "r4")
    summary = CompletenessValidator(recorder).summary()
    assert summary["ok"]


def test_all_five_events_on_a_mock_emitter():
    emitter = MagicMock()
    emitter.emit_agent_started("r5")
    emitter.emit_thinking("r5")
    emitter.emit_tool_executing("r5")
    emitter.emit_tool_completed("r5")
    emitter.emit_agent_completed("r5")
    emitter.emit_agent_started.assert_called_once()
    emitter.emit_thinking.assert_called_once()
    emitter.emit_tool_executing.assert_called_once()
    emitter.emit_tool_completed.assert_called_once()
    emitter.emit_agent_completed.assert_called_once()


class TestCountsUnittestStyle(unittest.TestCase):
    def test_all_five_events_missing_count(self):
        recorder = Recorder()
        run_whole_flow(recorder, "r6")
        required = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
        missing = [event for event in required if event not in types_sent(recorder)]
        self.assertEqual(len(missing), 0)


def test_all_five_events_named_by_their_methods():
    recorder = Recorder()
    calls = [
        ("notify_agent_started", "r7"),
        ("notify_agent_thinking", "r7"),
        ("notify_tool_executing", "r7"),
        ("notify_tool_completed", "r7"),
        ("notify_agent_completed", "r7"),
    ]
    for method, run_id in calls:
        getattr(recorder, method)(run_id)
    expected = [method.replace("notify_", "") for method, _ in calls]
    assert [event["event_type"] for event in recorder.sent] == expected


def test_all_five_events_by_the_validators_list():
    recorder = Recorder()
    run_whole_flow(recorder, "r8")
    validator = CompletenessValidator(recorder)
    for event in validator.REQUIRED:
        assert event in types_sent(recorder)


class PerRunValidator:
    REQUIRED = {"agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"}

    def __init__(self, recorders):
        self.recorders = recorders

    def validate_run(self, recorder):
        failures = []
        missing = self.REQUIRED - types_sent(recorder)
        if missing:
            failures.append(f"missing {missing}")
        return len(failures) == 0, failures

    def validate_all(self):
        all_valid = True
        for recorder in self.recorders:
            valid, _ = self.validate_run(recorder)
            if not valid:
                all_valid = False
        return all_valid


def test_all_five_events_in_every_run():
    recorders = [Recorder(), Recorder()]
    for number, recorder in enumerate(recorders):
        run_whole_flow(recorder, f"r{number}")
    passed = PerRunValidator(recorders).validate_all()
    assert passed


class ConfiguredValidator:
    def __init__(self, recorder):
        self.recorder = recorder

    def validate(self):
        errors = []
        counts = {}
        for event in self.recorder.sent:
            counts[event["event_type"]] = counts.get(event["event_type"], 0) + 1
        for event_type, config in PER_EVENT.items():
            count = counts.get(event_type, 0)
            if count == 0:
                errors.append(f"{event_type} never sent")
            if config["at_most"] and count > config["at_most"]:
                errors.append(f"{event_type} sent {count} times")
        return len(errors) == 0, errors, {"counts": counts}

    def report(self):
        seen = types_sent(self.recorder)
        return {"complete": not (set(PER_EVENT) - seen), "seen": sorted(seen)}


def test_all_five_events_by_a_list_of_failures():
    recorder = Recorder()
    run_whole_flow(recorder, "r9")
    valid, errors, _ = ConfiguredValidator(recorder).validate()
    assert valid, errors


def test_all_five_events_by_a_report_verdict():
    recorder = Recorder()
    run_whole_flow(recorder, "r10")
    assert ConfiguredValidator(recorder).report()["complete"]


def test_all_five_events_counted_by_type():
    recorder = Recorder()
    run_whole_flow(recorder, "r11")
    run_whole_flow(recorder, "r12")
    for wanted in PER_EVENT:
        of_type = [e for e in recorder.sent if e["event_type"] == wanted]
        assert len(of_type) >= 2


def summarise(recorder):
    """A summary whose entries are verdicts, one of them on the five events."""
    summary = {"sent_any": len(recorder.sent) > 0, "complete": False}
    seen = types_sent(recorder)
    summary["complete"] = all(event in seen for event in PER_EVENT)
    return summary


def test_all_five_events_by_a_summary_entry():
    recorder = Recorder()
    run_whole_flow(recorder, "r13")
    assert summarise(recorder)["complete"]


def test_all_five_events_by_a_query_per_type():
    recorder = Recorder()
    run_whole_flow(recorder, "r14")
    assert len(recorder.of_type("agent_started")) == 1
    assert recorder.of_type("agent_thinking")
    executing = recorder.of_type("tool_executing")
    assert len(executing) >= 1
    assert executing[0]["run_id"] == "r14"
    assert len(recorder.of_type("tool_completed")) > 0
    finished = recorder.of_type("agent_completed")
    assert finished
