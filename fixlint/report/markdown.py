"""The audit as Markdown, for a pull request or an issue (GitHub-flavoured: its tables)."""

from __future__ import annotations

from fixlint.report.audit import CHECKS, Audit, FileAudit, RuleIssue, plural

BLOCKS_PHRASE = {
    "collection-error": "pytest cannot collect the file",
    "setup-error": "pytest raises an error at set-up",
    "requirement": "a requirement of the suite is not met",
    "maintenance": "pytest runs it; harder to keep right",
    "style": "pytest runs it; style only",
}


def cell(text: str) -> str:
    """Text safe in a table cell: one line, its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def fence(code: str) -> str:
    """A fence longer than any run of backticks in the code."""
    longest = max((len(run) for run in code.split("\n") for run in _backtick_runs(run)), default=0)
    return "`" * max(3, longest + 1)


def _backtick_runs(line: str) -> list[str]:
    runs, current = [], ""
    for char in line:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


def render_markdown(audit: Audit, top: int) -> str:
    out: list[str] = [f"# Test suite audit: `{audit.paths}`", ""]
    out += _summary(audit)
    detailed = audit.detailed(top)
    if detailed:
        out += [f"## Detailed analysis of the first {len(detailed)} files, by fix priority", ""]
        for index, file in enumerate(detailed, 1):
            out += _file_section(index, file)
    out += _table(audit)
    out += _common_issues(audit)
    out += _recommended(audit)
    return "\n".join(out).rstrip() + "\n"


def _summary(audit: Audit) -> list[str]:
    safe, safe_files, unsafe, unsafe_files = audit.fix_totals()
    findings = sum(len(file.findings) for file in audit.files)
    out = [
        "## Executive summary",
        "",
        f"- **Files read** (test modules, conftests, helpers with findings): "
        f"{len(audit.files)}; with findings: {audit.with_findings}",
        f"- **Files with critical findings** (errors pytest raises): {len(audit.critical)}",
        f"- **Findings**: {findings}",
        f"- **Safe fixes** (`fixlint fix`): {plural(safe, 'finding')} in {plural(safe_files, 'file')}",
        f"- **Unsafe fixes** (`fixlint fix --unsafe-fixes`, may change what a test does): "
        f"{plural(unsafe, 'finding')} in {plural(unsafe_files, 'file')}",
        f"- **Left for a person** (no fix): {findings - safe - unsafe} findings",
        "",
    ]
    families = audit.per_family()
    if families:
        out += ["| family | findings | files |", "| --- | ---: | ---: |"]
        out += [f"| {cell(family)} | {count} | {files} |" for family, (count, files) in families.items()]
        out.append("")
    return out


def _file_section(index: int, file: FileAudit) -> list[str]:
    out = [
        f"### {index}. `{file.path}`",
        f"**Status**: {file.status}",
        "",
        "**Checks**:",
    ]
    out += [f"- {check.mark} **{check.name}**: {cell(check.evidence)}" for check in file.checks]
    out.append("")
    if file.excerpt:
        marker = fence(file.excerpt)
        out += [f"**Offending code** (`{file.excerpt_at}`):", f"{marker}python", file.excerpt, marker, ""]
    blocks = BLOCKS_PHRASE[file.blocks] if file.blocks else "nothing found"
    out += [f"**Fix priority**: {file.priority.upper()} ({blocks})", ""]
    return out


def _table(audit: Audit) -> list[str]:
    names = [name for name, _ in CHECKS]
    out = ["## Every file", ""]
    out.append("| file | priority | findings | " + " | ".join(names) + " |")
    out.append("| --- | --- | ---: | " + " | ".join(":---:" for _ in names) + " |")
    for file in audit.files:
        marks = " | ".join(check.mark for check in file.checks)
        out.append(f"| `{cell(file.path)}` | {file.priority} | {len(file.findings)} | {marks} |")
    out.append("")
    return out


def _common_issues(audit: Audit) -> list[str]:
    if not audit.issues:
        return []
    out = ["## Common issues across files", ""]
    for index, issue in enumerate(audit.issues, 1):
        shown = ", ".join(f"`{path}`" for path in issue.files[:5]) + (" ..." if len(issue.files) > 5 else "")
        out += [
            f"### {index}. `{issue.rule}` ({issue.family}): {issue.summary}",
            f"**Priority**: {issue.priority.upper()} ({BLOCKS_PHRASE[issue.blocks]}); "
            f"{plural(issue.count, 'finding')} in {plural(len(issue.files), 'file')}: {shown}",
            "",
            f"Example: {issue.example}",
            "",
        ]
    return out


def fix_commands(issue: RuleIssue, paths: str) -> list[str]:
    """Each fix command with what it clears, safe before unsafe, then what is left by hand."""
    steps = "".join(f" {flag}" for flag in issue.steps)
    lines = []
    if issue.safe:
        lines.append(f"`fixlint fix{steps} --rule {issue.rule} {paths}` fixes {plural(issue.safe, 'finding')} (safe)")
    if issue.unsafe:
        command = f"fixlint fix --unsafe-fixes{steps} --rule {issue.rule} {paths}"
        lines.append(f"`{command}` fixes {plural(issue.unsafe, 'finding')} (unsafe)")
    if issue.manual:
        lines.append(f"{issue.manual} by hand (no fix)")
    return lines


def _recommended(audit: Audit) -> list[str]:
    if not audit.issues:
        return ["## Recommended fixes", "", "None: nothing found.", ""]
    out = ["## Recommended fixes, in order", ""]
    for index, issue in enumerate(audit.issues, 1):
        out.append(
            f"{index}. **{issue.priority.upper()}** `{issue.rule}`: " + "; ".join(fix_commands(issue, audit.paths))
        )
    out.append("")
    return out
