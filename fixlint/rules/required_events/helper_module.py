"""The standard events helper, written on request (``fixlint fix --write-events-helper``) before
the fix loop, so that the family's fixes have it to call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Optional

from fixlint.facts.reader import read_facts
from fixlint.files.display import message_path
from fixlint.files.source_text import LINE_RE, SourceText, write_atomically
from fixlint.findings import Edit
from fixlint.rules.base import FixStep


class WriteEventsHelper(FixStep):
    family = "required-events"
    flag = "--write-events-helper"
    help = (
        "Write the standard required-events helper where `helper-module` names it: the module, or the "
        "function at the end of a module that lacks it."
    )

    def run(self, options: Mapping[str, Any], rootdirs: Sequence[Path], write: bool) -> list[str]:
        """The helper, written once in each rootdir, where ``helper-module`` names it."""
        notes = []
        for rootdir in rootdirs:
            if not write:
                notes.append(f"{self.flag}: not written with --diff ({options['helper-module']} under {rootdir})")
                continue
            notes += filter(None, [write_helper(rootdir, options)])
        return notes


def write_helper(rootdir: Path, options: Mapping[str, Any]) -> Optional[str]:
    """Write the standard helper where ``helper-module`` names it: a new module, or the function
    added at the end of the module when it lacks one. Never over a definition of the team's."""
    parts = options["helper-module"].split(".")
    target = rootdir.joinpath(*parts).with_suffix(".py")
    package = rootdir.joinpath(*parts) / "__init__.py"
    existing = target if target.exists() else package if package.exists() else None
    if existing is not None:
        return _add_to_module(existing, options)
    target.parent.mkdir(parents=True, exist_ok=True)
    for depth in range(1, len(parts)):
        init = rootdir.joinpath(*parts[:depth]) / "__init__.py"
        if not init.exists():
            init.write_text("")
    target.write_text(
        '"""The standard check of the events a user must see (written by fixlint)."""\n\n\n' + _helper_code(options)
    )
    return f"wrote the standard helper `{options['helper']}` to {message_path(target)}"


def _add_to_module(path: Path, options: Mapping[str, Any]) -> Optional[str]:
    data = path.read_bytes()
    facts = read_facts(str(path), data)
    if facts.syntax_error is not None:
        error = facts.syntax_error.message
        return f"{WriteEventsHelper.flag}: {message_path(path)} does not parse ({error}): the helper is not added"
    helper = options["helper"]
    if any(body.qualname == helper for body in facts.bodies):
        return None  # the team's own
    if any(bound == helper for fact in facts.imports for _, bound in fact.names):
        return (
            f"{WriteEventsHelper.flag}: {message_path(path)} imports a `{helper}` of its own: the helper is not added"
        )
    source = SourceText.decode(data)
    separator = "" if not source.text or source.text.endswith(("\n", "\r")) else "\n"
    last = len(LINE_RE.findall(source.text)) + 1
    added = source.apply([Edit(str(path), last, 1, last, 1, f"{separator}\n\n{_helper_code(options)}")])
    if read_facts(str(path), added.encode()).syntax_error is not None:
        return f"{WriteEventsHelper.flag}: adding the helper to {message_path(path)} would not parse: not added"
    write_atomically(path, added.encode())
    return f"added the standard helper `{helper}` to {message_path(path)}"


def _helper_code(options: Mapping[str, Any]) -> str:
    asynchronous = "async " if options["helper-async"] else ""
    events = ", ".join(f'"{event}"' for event in options["events"])
    return (
        f"{asynchronous}def {options['helper']}(sent_events):\n"
        f"    required = [{events}]\n"
        '    found = [event.get("event_type") for event in sent_events]\n'
        "    missing = [event for event in required if event not in found]\n"
        '    assert len(missing) == 0, f"Missing required events: {missing}"\n'
        "    return True\n"
    )
