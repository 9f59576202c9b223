from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fixlint.files.display import display_path
from fixlint.findings import Applicability, Finding


def render_text(findings: Sequence[Finding], cwd: Path, unsafe_fixes: bool, fixed_count: int) -> str:
    lines = []
    safe = hidden = 0
    for finding in findings:
        applicability = finding.fix.applicability if finding.fix else None
        shown = applicability is Applicability.SAFE or (applicability is Applicability.UNSAFE and unsafe_fixes)
        safe += shown
        hidden += applicability is Applicability.UNSAFE and not unsafe_fixes
        marker = "[*] " if shown else ""
        lines.append(
            f"{display_path(finding.path, cwd)}:{finding.line}:{finding.column}: "
            f"{finding.rule} {marker}{finding.message}"
        )
    count = len(findings)
    if not count and not fixed_count:
        return "All checks passed!"
    warnings = sum(finding.severity == "warning" for finding in findings)
    errors = _counted(count + fixed_count - warnings, "error") if count + fixed_count - warnings or not warnings else ""
    found = " and ".join(filter(None, [errors, _counted(warnings, "warning") if warnings else ""]))
    if fixed_count:
        lines.append(f"Found {found} ({fixed_count} fixed, {count} remaining).")
    else:
        lines.append(f"Found {found}.")
    hint = f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option."
    if safe:
        lines.append(f"[*] {safe} fixable with `fixlint fix`" + (" (" + hint[:-1] + ")." if hidden else "."))
    elif hidden:
        lines.append(f"No fixes available ({hint[:-1]}).")
    return "\n".join(lines)


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
