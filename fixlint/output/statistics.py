"""``--statistics``: how many findings each rule made, as ruff prints them (count, rule, whether a
fix is offered, what the rule finds), most first; or the same rows as JSON."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

from fixlint.findings import Finding
from fixlint.output.text import offered
from fixlint.rules.base import Rule


def statistics_rows(
    findings: Sequence[Finding], rules: Mapping[str, type[Rule]], unsafe_fixes: bool
) -> list[dict[str, object]]:
    counts = Counter(finding.rule for finding in findings)
    fixable = {finding.rule for finding in findings if offered(finding, unsafe_fixes)}
    return [
        {
            "code": rule,
            "count": count,
            "fixable": rule in fixable,
            "summary": rules[rule].summary if rule in rules else "",
        }
        for rule, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def render_statistics(
    findings: Sequence[Finding], rules: Mapping[str, type[Rule]], unsafe_fixes: bool, as_json: bool
) -> str:
    rows = statistics_rows(findings, rules, unsafe_fixes)
    if as_json:
        return json.dumps(rows, indent=2)
    width = max((len(str(row["count"])) for row in rows), default=1)
    code_width = max((len(str(row["code"])) for row in rows), default=1)
    return "\n".join(
        f"{row['count']:>{width}}\t{row['code']:<{code_width}}\t{'[*]' if row['fixable'] else '[ ]'} {row['summary']}"
        for row in rows
    )
