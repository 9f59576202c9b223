"""A fixture graph as Graphviz's DOT, as SVG (drawn by ``dot`` where it is installed, else laid
out by ``layout.py`` and written here), as JSON, and as one self-contained HTML page."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from html import escape

from fixlint.errors import ConfigError
from fixlint.graph.layout import Box, layered
from fixlint.graph.model import Edge, FixtureGraph, Node

LAYOUTS = ("auto", "dot", "python")
FILL = {
    "session": "#dbe6fd",
    "package": "#e6dcfb",
    "module": "#dcf3e4",
    "class": "#fdf0d5",
    "function": "#ffffff",
    "dynamic": "#eeeeee",
}
ERROR = "#c62828"
LABEL_WIDTH = 44  # characters of an error's text per line
LABEL_LINES = 5
FONT = 11.0
CHAR = FONT * 0.6  # the advance of a monospace character
LINE = 14.0
BOLD = ' font-weight="bold"'


def node_lines(node: Node) -> list[str]:
    if node.kind == "test":
        path, _, rest = node.name.partition("::")
        return [path, f"::{rest}"] if rest else [path]
    if node.kind == "missing":
        return [node.name, "not found"]
    if node.kind == "param":
        return [node.name, f"parametrized, {node.scope}"]
    scope = f"{node.scope} scope"
    if node.loop_scope:
        scope += f", {node.loop_scope} loop"
    if node.autouse:
        scope += ", autouse"
    where = f"{node.path}:{node.line}" if node.path else "pytest or a plugin"
    return [node.name, scope, where]


def error_lines(edge: Edge) -> list[str]:
    lines = textwrap.wrap(edge.error or "", LABEL_WIDTH)
    if len(lines) > LABEL_LINES:
        lines = [*lines[: LABEL_LINES - 1], lines[LABEL_LINES - 1][: LABEL_WIDTH - 1] + "…"]
    return lines


def edge_title(edge: Edge) -> str:
    what = "overrides" if edge.kind == "overrides" else f"requests ({edge.kind})"
    text = f"{edge.source} {what} {edge.target}"
    return f"{text}: {edge.rule}: {edge.error}" if edge.error else text


# -- DOT -----------------------------------------------------------------------------------------
def to_dot(graph: FixtureGraph) -> str:
    out = [
        "digraph fixtures {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.6];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, fillcolor="#ffffff"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#555555", arrowsize=0.7];',
    ]
    for node in graph.nodes:
        out.append(f"  {_quote(node.id)} [{_attributes(_dot_node(node))}];")
    for edge in graph.edges:
        out.append(f"  {_quote(edge.source)} -> {_quote(edge.target)} [{_attributes(_dot_edge(edge))}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_node(node: Node) -> dict[str, str]:
    attributes = {"label": "\n".join(node_lines(node)), "tooltip": node.id}
    styles = ["rounded", "filled"]
    if node.kind == "test":
        attributes["shape"] = "ellipse"
        attributes["fillcolor"] = "#f0f0f0"
        styles = ["filled"]
    elif node.kind == "missing":
        attributes["color"] = ERROR
        attributes["fontcolor"] = ERROR
        styles.append("dashed")
    else:
        attributes["fillcolor"] = FILL.get(node.scope or "function", "#ffffff")
        if not node.tests:
            styles.append("dashed")  # defined or overridden, set up by no test of the graph
    attributes["style"] = ",".join(styles)
    return attributes


def _dot_edge(edge: Edge) -> dict[str, str]:
    attributes = {"tooltip": edge_title(edge)}
    if edge.error:
        attributes.update(
            color=ERROR, fontcolor=ERROR, penwidth="2", label="\n".join([edge.rule or "", *error_lines(edge)])
        )
    elif edge.kind == "overrides":
        attributes.update(style="dashed", color="#9e9e9e", arrowhead="onormal", label="overrides", fontcolor="#757575")
    elif edge.kind in ("usefixtures", "autouse", "parametrize", "getfixturevalue"):
        attributes.update(style="dotted" if edge.kind != "getfixturevalue" else "dashed", label=edge.kind)
    return attributes


def _attributes(attributes: dict[str, str]) -> str:
    return ", ".join(f"{key}={_quote(value)}" for key, value in attributes.items())


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# -- SVG -----------------------------------------------------------------------------------------
def chosen_layout(layout: str) -> str:
    """``auto``: Graphviz's ``dot`` where it is installed, else the pure-Python layout."""
    if layout == "auto":
        return "dot" if shutil.which("dot") else "python"
    if layout == "dot" and not shutil.which("dot"):
        raise ConfigError("--layout dot: Graphviz's `dot` is not installed (Debian: apt-get install graphviz)")
    return layout


def to_svg(graph: FixtureGraph, layout: str = "auto") -> str:
    """A standalone SVG document."""
    if chosen_layout(layout) == "dot":
        return _graphviz_svg(graph)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _python_svg(graph)


def inline_svg(graph: FixtureGraph, layout: str = "auto") -> str:
    """The ``<svg>`` element alone, for an HTML page."""
    svg = to_svg(graph, layout)
    svg = svg[svg.index("<svg") :]
    # HTML puts an <svg> in its namespace itself: the page names no URL at all.
    for namespace in (' xmlns="http://www.w3.org/2000/svg"', ' xmlns:xlink="http://www.w3.org/1999/xlink"'):
        svg = svg.replace(namespace, "", 1)
    return svg


def _graphviz_svg(graph: FixtureGraph) -> str:
    dot = shutil.which("dot")
    assert dot is not None
    done = subprocess.run([dot, "-Tsvg"], input=to_dot(graph), capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise ConfigError(f"Graphviz's dot failed: {done.stderr.strip()}")
    return done.stdout


def _python_svg(graph: FixtureGraph) -> str:
    boxes = [Box(node.id, *_text_size(node_lines(node), padding=16)) for node in graph.nodes]
    edges: list[tuple[str, str]] = []
    # An error's text is a box of its own in the layout, between the two ends of its edge.
    labels: dict[int, str] = {}
    for index, edge in enumerate(graph.edges):
        if edge.error and edge.source != edge.target:
            label = f"\0error:{index}"
            labels[index] = label
            boxes.append(Box(label, *_text_size([edge.rule or "", *error_lines(edge)], padding=10)))
            edges += [(edge.source, label), (label, edge.target)]
        else:
            edges.append((edge.source, edge.target))
    placement = layered(boxes, edges)
    sizes = {box.id: (box.width, box.height) for box in boxes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{placement.width:.0f}" height="{placement.height:.0f}" '
        f'viewBox="0 0 {placement.width:.1f} {placement.height:.1f}" font-family="DejaVu Sans Mono, monospace" '
        f'font-size="{FONT:g}" class="fixture-graph">',
        "<defs>"
        '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker>'
        f'<marker id="arrow-error" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{ERROR}"/></marker>'
        "</defs>",
    ]
    routes = iter(placement.routes)
    for index, edge in enumerate(graph.edges):
        if index in labels:
            first, second = next(routes), next(routes)
            parts.append(_svg_edge(edge, first, arrow=False))
            parts.append(_svg_edge(edge, second, arrow=True))
            x, y = placement.centres[labels[index]] if labels[index] in placement.centres else (0.0, 0.0)
            parts.append(_svg_error_label(edge, x, y, sizes[labels[index]]))
        else:
            parts.append(_svg_edge(edge, next(routes), arrow=True))
    for node in graph.nodes:
        x, y = placement.centres[node.id]
        parts.append(_svg_node(node, x, y, sizes[node.id]))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _text_size(lines: list[str], padding: float) -> tuple[float, float]:
    return max(len(line) for line in lines) * CHAR + padding, len(lines) * LINE + padding / 2 + 4


def _svg_node(node: Node, x: float, y: float, size: tuple[float, float]) -> str:
    width, height = size
    lines = node_lines(node)
    dashed = node.kind == "missing" or (node.kind not in ("test", "missing") and not node.tests)
    stroke = ERROR if node.kind == "missing" else "#444444"
    fill = "#f0f0f0" if node.kind == "test" else "#ffffff" if node.kind == "missing" else FILL.get(node.scope or "")
    radius = height / 2 if node.kind == "test" else 6
    colour = f' fill="{ERROR}"' if node.kind == "missing" else ""
    text = "".join(
        f'<text x="{x:.1f}" y="{y - (len(lines) - 1) * LINE / 2 + LINE * i + 4:.1f}" text-anchor="middle"'
        f"{BOLD if i == 0 else ''}{colour}>{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<g class="node {node.kind}" data-id="{escape(node.id)}"><title>{escape(node.id)}</title>'
        f'<rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'rx="{radius:.1f}" fill="{fill or "#ffffff"}" stroke="{stroke}"{dash}/>{text}</g>'
    )


def _svg_edge(edge: Edge, points: list[tuple[float, float]], arrow: bool) -> str:
    error = bool(edge.error)
    colour = ERROR if error else "#9e9e9e" if edge.kind == "overrides" else "#555555"
    dash = "" if error or edge.kind == "argument" else ' stroke-dasharray="5 3"'
    marker = f' marker-end="url(#{"arrow-error" if error else "arrow"})"' if arrow else ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    label = ""
    if arrow and not error and edge.kind != "argument" and len(points) >= 2:
        (x1, y1), (x2, y2) = points[-2], points[-1]
        label = (
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 3:.1f}" text-anchor="middle" font-size="9" '
            f'fill="#757575">{escape(edge.kind)}</text>'
        )
    return (
        f'<g class="edge{" error" if error else ""}"><title>{escape(edge_title(edge))}</title>'
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{2 if error else 1}"{dash}{marker}/>'
        f"{label}</g>"
    )


def _svg_error_label(edge: Edge, x: float, y: float, size: tuple[float, float]) -> str:
    width, height = size
    lines = [edge.rule or "", *error_lines(edge)]
    text = "".join(
        f'<text x="{x - width / 2 + 5:.1f}" y="{y - height / 2 + 5 + LINE * (i + 1) - 3:.1f}" fill="{ERROR}"'
        f"{BOLD if i == 0 else ''}>{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    return (
        f'<g class="error-label"><title>{escape(edge.error or "")}</title>'
        f'<rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="#fff5f5" stroke="{ERROR}"/>{text}</g>'
    )


# -- JSON and HTML -------------------------------------------------------------------------------
def to_json(graph: FixtureGraph) -> str:
    return json.dumps(graph.as_json(), indent=2) + "\n"


STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 90rem; padding: 0 1rem; color: #1b1f23; }
figure.fixture-graph { margin: 1rem 0; overflow: auto; border: 1px solid #d0d7de; padding: .5rem; }
figure.fixture-graph svg { max-width: 100%; height: auto; }
figure.fixture-graph figcaption { font-size: 13px; color: #57606a; margin-bottom: .4rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.graph-error { color: #b00020; }
"""


def graph_figure(graph: FixtureGraph, layout: str, caption: str) -> str:
    """The graph as an HTML ``<figure>``: the report embeds one per conflict."""
    return (
        f'<figure class="fixture-graph" data-focus="{escape(graph.focus)}" data-nodes="{len(graph.nodes)}">'
        f"<figcaption>{escape(caption)}</figcaption>{inline_svg(graph, layout)}</figure>"
    )


def to_html(graph: FixtureGraph, layout: str = "auto") -> str:
    title = f"Fixture graph of {graph.focus} {graph.subject}"
    errors = "".join(
        f"<li class=graph-error><code>{escape(edge.source)}</code> → <code>{escape(edge.target)}</code>: "
        f"<b>{escape(edge.rule or '')}</b>: {escape(edge.error or '')}</li>"
        for edge in graph.errors
    )
    rows = "".join(
        f"<tr><td><code>{escape(node.name)}</code></td><td>{escape(node.kind)}</td><td>{escape(node.scope or '')}</td>"
        f"<td>{escape(node.loop_scope or '')}</td><td>{escape(_where(node))}</td><td>{node.tests}</td></tr>"
        for node in graph.nodes
    )
    legend = (
        "Boxes are fixture definitions, filled by scope (blue session, violet package, green module, yellow class, "
        "white function); dashed: set up by no test of the graph. Arrows are requests; grey dashed arrows go from a "
        "definition to the one it overrides; red arrows are requests pytest fails on, with the error."
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{legend}</p>"
        f"{graph_figure(graph, layout, f'{len(graph.nodes)} nodes, {len(graph.edges)} edges')}"
        f'<h2>Errors</h2><ul id="errors">{errors or "<li>None: pytest sets every fixture up.</li>"}</ul>'
        '<h2>Fixtures</h2><table id="nodes"><tr><th>name</th><th>kind</th><th>scope</th><th>loop scope</th>'
        f"<th>defined at</th><th>tests</th></tr>{rows}</table></body></html>\n"
    )


def _where(node: Node) -> str:
    if node.path:
        return f"{node.path}:{node.line}"
    return {"plugin": "pytest or a plugin", "param": "the test's parametrize", "missing": "nowhere"}.get(node.kind, "")


def render(graph: FixtureGraph, output_format: str, layout: str = "auto") -> str:
    if output_format == "dot":
        return to_dot(graph)
    if output_format == "json":
        return to_json(graph)
    if output_format == "svg":
        return to_svg(graph, layout)
    return to_html(graph, layout)
