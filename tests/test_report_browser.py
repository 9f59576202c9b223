"""The HTML report as a person sees it: opened in a real headless Chromium (Debian's package), with
no console error, the summary and every file's row shown, the table sorted by a click, and a
screenshot kept (in the test's folder, or in $FIXLINT_ARTIFACTS when set)."""

from __future__ import annotations

import os
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# After the page's own script: click the priority header twice (descending), and note the order.
PROBE = """<script>
var header = document.querySelectorAll("table.sortable th")[1];
header.click(); header.click();
document.body.setAttribute("data-order", Array.from(document.querySelectorAll("table.sortable tbody tr"))
  .map(function (row) { return row.cells[1].textContent; }).join(","));
</script>"""


def test_the_html_report_in_chromium(tmp_path: Path, run_fixlint, chromium) -> None:
    page = tmp_path / "report.html"
    assert run_fixlint(EXAMPLES, "report", ".", "--format", "html", "-o", str(page)).exit_code == 0
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")

    dumped = chromium("--dump-dom", probed.as_uri())
    assert dumped.returncode == 0, dumped.stderr
    console = [line for line in dumped.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    dom = dumped.stdout
    assert 'id="summary"' in dom and "Executive summary" in dom
    rows = re.findall(r"<tr><td><code>", dom)
    assert len(rows) == 4  # every file of the examples suite
    order = re.search(r'data-order="([^"]*)"', dom)
    assert order is not None, "the sorting script did not run"
    priorities = order.group(1).split(",")
    assert priorities == sorted(priorities, key=["critical", "high", "medium", "low", "none"].index, reverse=True)

    artifacts = Path(os.environ.get("FIXLINT_ARTIFACTS", tmp_path))
    artifacts.mkdir(parents=True, exist_ok=True)
    screenshot = artifacts / "report.png"
    shot = chromium(f"--screenshot={screenshot}", "--window-size=1280,1600", page.as_uri())
    assert shot.returncode == 0, shot.stderr
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000
