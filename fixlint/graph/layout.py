"""A layered drawing of a directed graph, left to right, in pure Python (where Graphviz's ``dot``
is not installed): Sugiyama's steps, each in its plainest deterministic form. Cycles are broken
by reversing the edges a depth-first search finds going back; each node is put in the layer of
its longest path from a source; edges that span layers pass through dummy points; the order in
each layer is improved by barycentre sweeps, the order with the fewest crossings kept; a few
passes pull each node towards the centre of its neighbours. The same input always gives the same
drawing (no set order, no randomness)."""

from __future__ import annotations

from dataclasses import dataclass, field

LAYER_GAP = 70.0  # between the columns of two layers
NODE_GAP = 16.0  # between two nodes of a layer
MARGIN = 20.0
DUMMY_HEIGHT = 6.0
SWEEPS = 12
ALIGN_PASSES = 4


@dataclass
class Box:
    id: str
    width: float
    height: float


@dataclass
class Placement:
    centres: dict[str, tuple[float, float]]
    routes: list[list[tuple[float, float]]]  # per edge, in the order given, source to target
    width: float
    height: float
    layers: dict[str, int] = field(default_factory=dict)


def layered(boxes: list[Box], edges: list[tuple[str, str]]) -> Placement:
    sizes = {box.id: (box.width, box.height) for box in boxes}
    order = [box.id for box in boxes]
    proper = [(source, target) for source, target in edges if source != target]
    reversed_edges = _back_edges(order, proper)
    upward = [(t, s) if (s, t) in reversed_edges else (s, t) for s, t in proper]
    layer = _longest_path_layers(order, upward)
    # Each edge's chain of points, one per layer it crosses (dummies), from its upper end.
    chains: dict[tuple[str, str], list[str]] = {}
    rows: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    for node in _discovery_order(order, upward):
        rows[layer[node]].append(node)
    for index, (source, target) in enumerate(dict.fromkeys(upward)):
        chain = [source]
        for step in range(layer[source] + 1, layer[target]):
            dummy = f"\0{index}:{step}"
            sizes[dummy] = (0.0, DUMMY_HEIGHT)
            rows[step].append(dummy)
            chain.append(dummy)
        chains[(source, target)] = [*chain, target]
    links = [(a, b) for chain in chains.values() for a, b in zip(chain, chain[1:])]
    rows = _order(rows, links)
    centres = _coordinates(rows, links, sizes)
    routes = []
    for source, target in edges:
        if source == target:
            routes.append(_self_loop(centres[source], sizes[source]))
            continue
        flipped = (source, target) in reversed_edges
        chain = chains[(target, source) if flipped else (source, target)]
        points = [centres[node] for node in chain]
        first, last = chain[0], chain[-1]
        points[0] = (points[0][0] + sizes[first][0] / 2, points[0][1])
        points[-1] = (points[-1][0] - sizes[last][0] / 2, points[-1][1])
        routes.append(points[::-1] if flipped else points)
    width = max((x + sizes[node][0] / 2 for node, (x, _) in centres.items()), default=0.0) + MARGIN
    height = max((y + sizes[node][1] / 2 for node, (_, y) in centres.items()), default=0.0) + MARGIN
    real = {node: centres[node] for node in order}
    return Placement(real, routes, width, height, {node: layer[node] for node in order})


def _back_edges(order: list[str], edges: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The edges a depth-first search (from each node in the given order) finds going back to a
    node on its path: reversing them leaves no cycle."""
    following: dict[str, list[str]] = {node: [] for node in order}
    for source, target in edges:
        following[source].append(target)
    state: dict[str, int] = {}  # 1: on the path, 2: done
    back: set[tuple[str, str]] = set()
    for root in order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(following[root]))]
        while stack:
            node, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(following[nxt])))
    return back


def _longest_path_layers(order: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    preceding: dict[str, list[str]] = {node: [] for node in order}
    following: dict[str, list[str]] = {node: [] for node in order}
    for source, target in dict.fromkeys(edges):
        preceding[target].append(source)
        following[source].append(target)
    waiting = {node: len(preceding[node]) for node in order}
    ready = [node for node in order if not waiting[node]]
    layer = {node: 0 for node in order}
    while ready:
        node = ready.pop(0)
        for other in following[node]:
            layer[other] = max(layer[other], layer[node] + 1)
            waiting[other] -= 1
            if not waiting[other]:
                ready.append(other)
    return layer


def _discovery_order(order: list[str], edges: list[tuple[str, str]]) -> list[str]:
    """Depth first from the sources: related nodes start near each other."""
    following: dict[str, list[str]] = {node: [] for node in order}
    has_source = set()
    for source, target in edges:
        following[source].append(target)
        has_source.add(target)
    seen: dict[str, None] = {}
    for root in [node for node in order if node not in has_source] + order:
        stack = [root]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen[node] = None
            stack.extend(reversed(following[node]))
    return list(seen)


def _order(rows: list[list[str]], links: list[tuple[str, str]]) -> list[list[str]]:
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for a, b in links:
        down.setdefault(a, []).append(b)
        up.setdefault(b, []).append(a)
    best = [list(row) for row in rows]
    fewest = _crossings(best, down)
    current = [list(row) for row in rows]
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        indices = range(1, len(current)) if forward else range(len(current) - 2, -1, -1)
        for index in indices:
            fixed = current[index - 1] if forward else current[index + 1]
            position = {node: place for place, node in enumerate(fixed)}
            neighbours = up if forward else down
            row = current[index]
            keys = {}
            for place, node in enumerate(row):
                around = [position[other] for other in neighbours.get(node, ()) if other in position]
                keys[node] = (sum(around) / len(around) if around else float(place), place)
            current[index] = sorted(row, key=keys.__getitem__)
        crossings = _crossings(current, down)
        if crossings < fewest:
            best, fewest = [list(row) for row in current], crossings
    return best


def _crossings(rows: list[list[str]], down: dict[str, list[str]]) -> int:
    """Edge crossings between adjacent layers: inversions, counted with a Fenwick tree."""
    total = 0
    for upper, lower in zip(rows, rows[1:]):
        position = {node: place for place, node in enumerate(lower)}
        ends = sorted(
            (place, position[other])
            for place, node in enumerate(upper)
            for other in down.get(node, ())
            if other in position
        )
        tree = [0] * (len(lower) + 1)
        for seen, (_, end) in enumerate(ends):
            # Edges seen so far that end right of this one cross it.
            below = 0
            index = end + 1
            while index:
                below += tree[index]
                index -= index & -index
            total += seen - below
            index = end + 1
            while index <= len(lower):
                tree[index] += 1
                index += index & -index
    return total


def _coordinates(
    rows: list[list[str]], links: list[tuple[str, str]], sizes: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    columns = []
    x = MARGIN
    for row in rows:
        width = max((sizes[node][0] for node in row), default=0.0)
        columns.append(x + width / 2)
        x += width + LAYER_GAP
    neighbours: dict[str, list[str]] = {}
    for a, b in links:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    y: dict[str, float] = {}
    for row in rows:
        _stack(row, {node: 0.0 for node in row}, sizes, y)
    for _ in range(ALIGN_PASSES):
        for row in rows + rows[::-1]:
            wanted = {}
            for node in row:
                around = [y[other] for other in neighbours.get(node, ())]
                wanted[node] = sum(around) / len(around) if around else y[node]
            _stack(row, wanted, sizes, y)
    top = min((y[node] - sizes[node][1] / 2 for node in y), default=MARGIN)
    return {node: (columns[index], y[node] - top + MARGIN) for index, row in enumerate(rows) for node in row}


def _stack(
    row: list[str], wanted: dict[str, float], sizes: dict[str, tuple[float, float]], y: dict[str, float]
) -> None:
    """Each node of a layer as near its wanted centre as the nodes above it leave room for, then
    the layer moved as a whole so that it is off its wanted centres as little on average."""
    placed: list[float] = []
    bottom = None
    for node in row:
        half = sizes[node][1] / 2
        centre = wanted[node] if bottom is None else max(wanted[node], bottom + NODE_GAP + half)
        placed.append(centre)
        bottom = centre + half
    if placed:
        # Nodes are only ever pushed down: the shift is up, by how far they were pushed on average.
        shift = sum(wanted[node] - centre for node, centre in zip(row, placed)) / len(placed)
        for node, centre in zip(row, placed):
            y[node] = centre + shift


def _self_loop(centre: tuple[float, float], size: tuple[float, float]) -> list[tuple[float, float]]:
    x, y = centre
    width, height = size
    right, top = x + width / 2, y - height / 2
    return [(right - 10, top), (right - 10, top - 18), (right + 14, top - 18), (right + 14, y), (right, y)]
