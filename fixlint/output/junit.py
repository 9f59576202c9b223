"""JUnit XML, as CI services show test reports: one test suite per file, one failed test case per
finding; a run without findings is one passed case, so that the report is never empty."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from pathlib import Path

from fixlint.files.display import display_path
from fixlint.findings import Finding

# Characters XML 1.0 cannot hold, even escaped (a control character inside a message's quote).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(findings: Sequence[Finding], cwd: Path) -> str:
    root = ElementTree.Element("testsuites", name="fixlint", tests=str(max(len(findings), 1)))
    root.set("failures", str(len(findings)))
    root.set("errors", "0")
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(display_path(finding.path, cwd), []).append(finding)
    if not findings:
        suite = ElementTree.SubElement(root, "testsuite", name="fixlint", tests="1", failures="0", errors="0")
        ElementTree.SubElement(suite, "testcase", name="No findings", classname="fixlint")
    for path, found in by_file.items():
        suite = ElementTree.SubElement(root, "testsuite", name=_clean(path), tests=str(len(found)))
        suite.set("failures", str(len(found)))
        suite.set("errors", "0")
        for finding in found:
            case = ElementTree.SubElement(suite, "testcase", name=f"{finding.rule} at {finding.line}:{finding.column}")
            case.set("classname", _clean(path))
            case.set("file", _clean(path))
            case.set("line", str(finding.line))
            failure = ElementTree.SubElement(case, "failure", message=_clean(finding.message), type=finding.rule)
            failure.text = _clean(f"{path}:{finding.line}:{finding.column}: {finding.rule} {finding.message}")
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode")
