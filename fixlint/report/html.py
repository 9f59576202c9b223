"""The audit as one self-contained HTML file: inline style and script, nothing fetched, so that it
opens from a CI artifact without a network. The table of every file sorts by any column."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Optional

from fixlint.report.audit import CHECKS, FAIL, PASS, PRIORITIES, UNCHECKED, WARN, Audit, FileAudit, plural
from fixlint.report.markdown import BLOCKS_PHRASE, fix_commands

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1b1f23; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; cursor: pointer; user-select: none; }
th[aria-sort=ascending]::after { content: " \\25B2"; } th[aria-sort=descending]::after { content: " \\25BC"; }
td.num { text-align: right; } td.mark { text-align: center; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; }
.critical { color: #b00020; font-weight: bold; } .high { color: #c05600; } .medium { color: #7a6400; }
.pass { color: #1a7f37; } .fail { color: #b00020; font-weight: bold; } .warn { color: #9a6700; }
figure.fixture-graph { margin: .5rem 0; overflow: auto; border: 1px solid #d0d7de; padding: .5rem; }
figure.fixture-graph svg { max-width: 100%; height: auto; }
figure.fixture-graph figcaption { font-size: 13px; color: #57606a; margin-bottom: .4rem; }
section.file { border-left: 4px solid #d0d7de; padding-left: 1rem; margin: 1.5rem 0; }
"""
# The marks as text fonts have them (emoji fonts are often missing where a CI renders the page).
MARKS = {PASS: ("✓", "pass"), FAIL: ("✗", "fail"), WARN: ("⚠", "warn"), UNCHECKED: ("–", "unchecked")}
# Sorts the table whose header was clicked, by the cell's data-sort value (numbers as numbers).
SCRIPT = """
document.querySelectorAll("table.sortable th").forEach(function (th, column) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var key = function (row) {
      var cell = row.cells[column], value = cell.getAttribute("data-sort") || cell.textContent;
      return isNaN(Number(value)) ? value : Number(value);
    };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""


def render_html(audit: Audit, top: int, figures: Optional[Mapping[str, list[str]]] = None) -> str:
    """``figures``: by a file's path as shown, the HTML figures of its conflicts' fixture graphs."""
    title = f"Test suite audit: {audit.paths}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _summary(audit),
    ]
    detailed = audit.detailed(top)
    if detailed:
        parts.append(f"<h2>Detailed analysis of the first {len(detailed)} files, by fix priority</h2>")
        parts += [
            _file_section(index, file, (figures or {}).get(file.path, [])) for index, file in enumerate(detailed, 1)
        ]
    parts += [_table(audit), _issues(audit), f"<script>{SCRIPT}</script></body></html>"]
    return "\n".join(parts) + "\n"


def _summary(audit: Audit) -> str:
    safe, safe_files, unsafe, unsafe_files = audit.fix_totals()
    findings = sum(len(file.findings) for file in audit.files)
    rows = "".join(
        f"<tr><td>{escape(family)}</td><td class=num>{count}</td><td class=num>{files}</td></tr>"
        for family, (count, files) in audit.per_family().items()
    )
    families = f"<table><tr><th>family</th><th>findings</th><th>files</th></tr>{rows}</table>" if rows else ""
    return (
        '<section id="summary"><h2>Executive summary</h2><ul>'
        f"<li><b>Files read</b> (test modules, conftests, helpers with findings): "
        f"{len(audit.files)}; with findings: {audit.with_findings}</li>"
        f"<li><b>Files with critical findings</b> (errors pytest raises): {len(audit.critical)}</li>"
        f"<li><b>Findings</b>: {findings}</li>"
        f"<li><b>Safe fixes</b> (<code>fixlint fix</code>): "
        f"{plural(safe, 'finding')} in {plural(safe_files, 'file')}</li>"
        f"<li><b>Unsafe fixes</b> (<code>fixlint fix --unsafe-fixes</code>): "
        f"{plural(unsafe, 'finding')} in {plural(unsafe_files, 'file')}</li>"
        f"<li><b>Left for a person</b> (no fix): {findings - safe - unsafe} findings</li>"
        f"</ul>{families}</section>"
    )


def _file_section(index: int, file: FileAudit, figures: list[str]) -> str:
    checks = "".join(
        f"<li>{_mark(check.mark)} <b>{escape(check.name)}</b>: {escape(check.evidence)}</li>" for check in file.checks
    )
    excerpt = (
        f"<p><b>Offending code</b> (<code>{escape(file.excerpt_at)}</code>):</p>"
        f"<pre><code>{escape(file.excerpt)}</code></pre>"
        if file.excerpt
        else ""
    )
    blocks = BLOCKS_PHRASE[file.blocks] if file.blocks else "nothing found"
    return (
        f'<section class="file"><h3>{index}. <code>{escape(file.path)}</code></h3>'
        f"<p><b>Status</b>: {escape(file.status)}</p><ul>{checks}</ul>{excerpt}"
        + (f"<p><b>Fixture graphs of its conflicts</b>:</p>{''.join(figures)}" if figures else "")
        + f'<p><b>Fix priority</b>: <span class="{file.priority}">{file.priority.upper()}</span> ({escape(blocks)})</p>'
        "</section>"
    )


def _mark(mark: str) -> str:
    symbol, name = MARKS[mark]
    return f'<span class="{name}" title="{name}">{symbol}</span>'


def _table(audit: Audit) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name in ("file", "priority", "findings", *(n for n, _ in CHECKS)))
    rows = []
    for file in audit.files:
        marks = "".join(
            f'<td class=mark title="{escape(c.evidence)}" data-sort="{MARKS[c.mark][1]}">{_mark(c.mark)}</td>'
            for c in file.checks
        )
        rows.append(
            f"<tr><td><code>{escape(file.path)}</code></td>"
            f'<td class="{file.priority}" data-sort="{PRIORITIES.index(file.priority)}">{file.priority}</td>'
            f"<td class=num>{len(file.findings)}</td>{marks}</tr>"
        )
    return (
        '<section id="files"><h2>Every file</h2><p>Click a column to sort.</p>'
        f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _issues(audit: Audit) -> str:
    if not audit.issues:
        return "<h2>Recommended fixes</h2><p>None: nothing found.</p>"
    common = "".join(
        f"<li><code>{escape(issue.rule)}</code> ({escape(issue.family)}): {escape(issue.summary)}. "
        f'<span class="{issue.priority}">{issue.priority.upper()}</span> ({escape(BLOCKS_PHRASE[issue.blocks])}); '
        f"{plural(issue.count, 'finding')} in {plural(len(issue.files), 'file')}. Example: {escape(issue.example)}</li>"
        for issue in audit.issues
    )
    fixes = "".join(
        f"<li><b>{issue.priority.upper()}</b> <code>{escape(issue.rule)}</code>: "
        + "; ".join(escape(line).replace("`", "") for line in fix_commands(issue, audit.paths))
        + "</li>"
        for issue in audit.issues
    )
    return (
        f'<section id="issues"><h2>Common issues across files</h2><ol>{common}</ol></section>'
        f'<section id="fixes"><h2>Recommended fixes, in order</h2><ol>{fixes}</ol></section>'
    )
