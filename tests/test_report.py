"""``fixlint report`` through the real CLI: on the examples suite (whose report, examples/REPORT.md,
must be current), on case trees, as Markdown a CommonMark-with-tables renderer reads without a
broken table, and as one HTML file that needs no network."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from fixlint.rules.base import BLOCKS
from fixlint.rules.registry import RULES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASES = Path(__file__).parent / "cases"
REPORT_ARGS = ("report", ".", "--top", "5")


def test_every_rule_says_what_it_blocks() -> None:
    undeclared = [name for name, rule in RULES.items() if "blocks" not in vars(rule) or rule.blocks not in BLOCKS]
    assert not undeclared, f"rules without a `blocks = ...` of {BLOCKS}: {undeclared}"


def test_examples_report_is_current(run_fixlint) -> None:
    """examples/REPORT.md is what `fixlint report . --top 5` prints in examples/; regenerate it with
    `cd examples && fixlint report . --top 5 -o REPORT.md`."""
    result = run_fixlint(EXAMPLES, *REPORT_ARGS)
    assert result.exit_code == 0, result.output
    assert (EXAMPLES / "REPORT.md").read_text(encoding="utf-8") == result.output, (
        "examples/REPORT.md is stale: cd examples && fixlint report . --top 5 -o REPORT.md"
    )


def test_examples_report_says_what_the_suite_shows(run_fixlint) -> None:
    text = run_fixlint(EXAMPLES, *REPORT_ARGS).output
    # The conftest's ScopeMismatch is an error pytest raises; its mixed autouse scopes are not.
    conftest = text.split("### 1. `websocket_suite/conftest.py`", 1)[1].split("###", 1)[0]
    assert "**Status**: FAILING: pytest raises an error when its tests set up" in conftest
    assert re.search(
        r"❌ \*\*Fixture conflicts\*\*: 2 errors pytest raises .*; 1 not errors \(fixture-autouse-mixed", conftest
    )
    assert "**Fix priority**: CRITICAL" in conftest
    assert "- **Files with critical findings** (errors pytest raises): 1" in text
    # Fixes in the order of what they block, each with its command and its count.
    fixes = text.split("## Recommended fixes, in order", 1)[1].strip().splitlines()
    assert fixes[0].startswith("1. **CRITICAL**") and fixes[-1].startswith(f"{len(fixes)}. **LOW**")
    assert "`fixlint fix --rule fixture-scope-mismatch .` fixes 1 finding (safe)" in text


def gfm_tables(text: str) -> list[list[int]]:
    """Per table a markdown-it parser finds, the cell count of each row (header first)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[list[int]] = []
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
    return tables


def test_the_markdown_tables_are_unbroken(run_fixlint) -> None:
    text = run_fixlint(EXAMPLES, *REPORT_ARGS).output
    source_rows = [line for line in text.splitlines() if line.startswith("|") and not line.startswith("| ---")]
    tables = gfm_tables(text)
    assert len(tables) == 2  # the families and every file
    assert all(len(set(rows)) == 1 for rows in tables), f"rows of unequal cell counts: {tables}"
    assert sum(len(rows) for rows in tables) == len(source_rows), "a table row the renderer did not read as one"
    assert tables[1][0] == 8  # file, priority, findings and the five checks


def test_a_pipe_in_a_cell_does_not_break_the_table(tmp_path: Path, run_fixlint) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_a|b.py").write_text("from helpers import nothing\n")
    (tmp_path / "helpers.py").write_text("X = 1\n")
    text = run_fixlint(tmp_path, "report", ".", "--no-cache").output
    assert "`test_a\\|b.py`" in text
    assert all(len(set(rows)) == 1 for rows in gfm_tables(text))


@pytest.mark.parametrize(
    ("case", "status", "imports"),
    [
        (
            "bad_conftest",
            "**Status**: BLOCKED: pytest cannot collect it",
            "❌ **Imports working**: 1 error pytest raises",
        ),
        ("ok_resolved", "", "✅"),
    ],
)
def test_report_of_an_import_case(tmp_path: Path, run_fixlint, case: str, status: str, imports: str) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(CASES / "import-unresolved" / case, tree, ignore=shutil.ignore_patterns("expected.findings"))
    result = run_fixlint(tree, "report", ".", "--rule", "import-unresolved")
    assert result.exit_code == 0, result.output
    text = result.output
    if status:
        assert status in text and imports in text
        assert "- **Files with critical findings** (errors pytest raises): 1" in text
        assert "1. **CRITICAL** `import-unresolved`: 1 by hand (no fix)" in text
    else:
        assert "## Detailed analysis" not in text and "None: nothing found." in text
        # Only the imports check ran: the other four say so.
        rows = [line for line in text.splitlines() if line.startswith("| `")]
        assert rows and all(row.endswith("| none | 0 | ✅ | ➖ | ➖ | ➖ | ➖ |") for row in rows)


class _Page(HTMLParser):
    """Tags left open, resources that would be fetched, and the rows of the sortable table."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.fetched: list[str] = []
        self.rows = 0
        self.in_sortable = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" or any(name in ("src", "href") for name in values):
            self.fetched.append(f"{tag} {values}")
        if tag == "table" and values.get("class") == "sortable":
            self.in_sortable = True
        if tag == "tr" and self.in_sortable:
            self.rows += 1
        if tag not in ("meta", "br", "img", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.in_sortable = False
        while self.open and self.open[-1] in ("td", "th", "tr", "li") and tag != self.open[-1]:
            self.open.pop()  # cells and items whose end tag HTML lets out
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()


def test_the_html_is_one_file_that_needs_no_network(tmp_path: Path, run_fixlint) -> None:
    output = tmp_path / "report.html"
    result = run_fixlint(EXAMPLES, "report", ".", "--format", "html", "-o", str(output))
    assert result.exit_code == 0 and result.output == ""
    page = _Page()
    page.feed(output.read_text(encoding="utf-8"))
    assert not page.fetched and "http" not in output.read_text(encoding="utf-8")
    assert page.open == []
    markdown = run_fixlint(EXAMPLES, *REPORT_ARGS).output
    files = [line for line in markdown.splitlines() if line.startswith("| `")]
    assert page.rows == len(files) + 1  # the header and every file
