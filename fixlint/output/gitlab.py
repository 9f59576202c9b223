"""GitLab's code quality report (a subset of Code Climate's issues): a JSON array of issues, each
with a fingerprint unique in the report and stable across runs (the baseline's fingerprint of the
finding's code and message, its file and rule, and which of equal findings it is)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from fixlint.engine.baseline import fingerprints
from fixlint.files.display import display_path
from fixlint.findings import Finding


def render_gitlab(findings: Sequence[Finding], cwd: Path) -> str:
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for finding, fingerprint in zip(findings, fingerprints(findings)):
        path = display_path(finding.path, cwd)
        key = (path, finding.rule, fingerprint)
        seen[key] += 1
        issues.append(
            {
                "type": "issue",
                "check_name": finding.rule,
                "description": f"{finding.rule}: {finding.message}",
                "categories": ["Bug Risk"],
                "severity": "minor" if finding.severity == "warning" else "major",
                "fingerprint": hashlib.sha256("\0".join((*key, str(seen[key]))).encode()).hexdigest()[:32],
                "location": {
                    "path": path,
                    "lines": {"begin": finding.line, "end": max(finding.end_line, finding.line)},
                },
            }
        )
    return json.dumps(issues, indent=2)
