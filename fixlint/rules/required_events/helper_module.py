"""The standard events helper, written on request (``fixlint fix --write-events-helper``) before
the fix loop, so that the family's fixes have it to call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Optional

from fixlint.rules.base import FixStep


class WriteEventsHelper(FixStep):
    family = "required-events"
    flag = "--write-events-helper"
    help = "Write the standard required-events helper where `helper-module` names it, if that module is missing."

    def run(self, options: Mapping[str, Any], rootdirs: Sequence[Path], write: bool) -> list[str]:
        """The helper, written once in each rootdir, where ``helper-module`` names it."""
        notes = []
        for rootdir in rootdirs:
            if not write:
                notes.append(f"{self.flag}: not written with --diff ({options['helper-module']} under {rootdir})")
                continue
            written = write_helper_module(rootdir, options)
            if written is not None:
                notes.append(f"wrote the standard helper `{options['helper']}` to {written}")
        return notes


def write_helper_module(rootdir: Path, options: Mapping[str, Any]) -> Optional[Path]:
    """Write the standard helper where ``helper-module`` names it, once: never over a file."""
    parts = options["helper-module"].split(".")
    target = rootdir.joinpath(*parts).with_suffix(".py")
    if target.exists() or (rootdir.joinpath(*parts) / "__init__.py").exists():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    for depth in range(1, len(parts)):
        package = rootdir.joinpath(*parts[:depth]) / "__init__.py"
        if not package.exists():
            package.write_text("")
    asynchronous = "async " if options["helper-async"] else ""
    events = ", ".join(f'"{event}"' for event in options["events"])
    target.write_text(
        '"""The standard check of the events a user must see (written by fixlint)."""\n\n\n'
        f"{asynchronous}def {options['helper']}(sent_events):\n"
        f"    required = [{events}]\n"
        '    found = [event.get("event_type") for event in sent_events]\n'
        "    missing = [event for event in required if event not in found]\n"
        '    assert len(missing) == 0, f"Missing required events: {missing}"\n'
        "    return True\n"
    )
    return target
