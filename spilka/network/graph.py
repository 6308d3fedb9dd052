"""The picture of the network: an SVG drawn on the server, no tiles, no scripts.

Layout: a deterministic force-directed layout (Fruchterman–Reingold) seeded from the
organisations' slugs, so the same network draws the same way every time.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext

from spilka.network.models import Organisation, OrganisationKind, Relationship
from spilka.network.models.organisations import relationship_sentence

KIND_COLOURS: dict[str, str] = {
    OrganisationKind.TRADE_UNION: "#b3261e",
    OrganisationKind.UNION_BRANCH: "#d9534f",
    OrganisationKind.PARTY: "#7b1fa2",
    OrganisationKind.CAMPAIGN: "#1565c0",
    OrganisationKind.NGO: "#00897b",
    OrganisationKind.PARLIAMENTARY: "#5d4037",
    OrganisationKind.NETWORK: "#f9a825",
    OrganisationKind.MEDIA: "#546e7a",
    OrganisationKind.OTHER: "#757575",
}
EDGE_STYLES = {
    "member_of": "",
    "affiliated_to": "6 3",
    "partner_of": "2 3",
    "twinned_with": "",
    "supports": "8 4 2 4",
    "part_of": "1 3",
}


@dataclass(frozen=True)
class Link:
    source_id: int
    target_id: int
    kind: str
    label: str


def links_for(orgs: list[Organisation], rels: list[Relationship]) -> list[Link]:
    """Relationships, plus a "part of" link from each branch to its parent."""
    ids = {org.pk for org in orgs}
    links = [Link(r.source_id, r.target_id, r.kind, str(r.get_kind_display())) for r in rels]
    links += [
        Link(org.pk, org.parent_id, "part_of", gettext("part of"))
        for org in orgs
        if org.parent_id in ids
    ]
    return links


@dataclass
class Node:
    org: Organisation
    x: float
    y: float
    label_y: float
    label: str
    colour: str
    url: str


@dataclass
class Edge:
    a: Node
    b: Node
    kind: str
    label: str
    dash: str

    @property
    def title(self) -> str:
        """The whole sentence ("USC is a member of ENSU"), translated as one."""
        return relationship_sentence(self.kind, self.a.label, self.b.label)


def _seed(slug: str) -> tuple[float, float]:
    digest = hashlib.sha256(slug.encode()).digest()
    return digest[0] / 255.0, digest[1] / 255.0


def _force_positions(
    slugs: list[str], edges: list[tuple[int, int]], iterations: int
) -> list[list[float]]:
    """Fruchterman–Reingold in the unit square, deterministic for the same input."""
    n = len(slugs)
    # Start on a circle, ordered by slug, nudged by a hash: the same network draws the same.
    order = sorted(range(n), key=lambda i: slugs[i])
    pos = [[0.0, 0.0] for _ in range(n)]
    for rank, i in enumerate(order):
        sx, sy = _seed(slugs[i])
        angle = 2 * math.pi * rank / n
        pos[i] = [math.cos(angle) + sx * 0.05, math.sin(angle) + sy * 0.05]
    k = 1.5 / math.sqrt(n)
    temperature = 0.1
    for _step in range(iterations):
        disp = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            xi, yi = pos[i]
            di = disp[i]
            for j in range(i + 1, n):
                dx = xi - pos[j][0]
                dy = yi - pos[j][1]
                dist2 = dx * dx + dy * dy or 1e-8
                # Repulsion k²/d along the unit vector: (dx/d)·(k²/d) = dx·k²/d².
                fx = dx * k * k / dist2
                fy = dy * k * k / dist2
                di[0] += fx
                di[1] += fy
                disp[j][0] -= fx
                disp[j][1] -= fy
        for i, j in edges:
            dx = pos[i][0] - pos[j][0]
            dy = pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 1e-4
            # Attraction d²/k along the unit vector: dx·d/k.
            fx = dx * dist / k
            fy = dy * dist / k
            disp[i][0] -= fx
            disp[i][1] -= fy
            disp[j][0] += fx
            disp[j][1] += fy
        for i in range(n):
            # Gravity keeps unlinked organisations from drifting off the picture.
            disp[i][0] -= pos[i][0] * k * 0.3
            disp[i][1] -= pos[i][1] * k * 0.3
            length = math.hypot(*disp[i]) or 1e-4
            step = min(length, temperature)
            pos[i][0] += disp[i][0] / length * step
            pos[i][1] += disp[i][1] / length * step
        temperature = max(temperature * 0.985, 0.002)
    return pos


def _iterations_for(n: int) -> int:
    # Each iteration costs n²/2 pair steps: fewer iterations for big networks.
    return 300 if n <= 60 else max(40, 18000 // n)


def layout(
    orgs: list[Organisation],
    rels: list[Relationship],
    width: int = 900,
    height: int = 600,
) -> tuple[list[Node], list[Edge]]:
    """Place ``orgs`` in a ``width``×``height`` frame; cached by the shape of the graph."""
    n = len(orgs)
    if n == 0:
        return [], []
    index = {org.pk: i for i, org in enumerate(orgs)}
    links = [
        link
        for link in links_for(orgs, rels)
        if link.source_id in index and link.target_id in index
    ]
    edges = [(index[link.source_id], index[link.target_id]) for link in links]
    slugs = [org.slug for org in orgs]
    key = "graph:" + hashlib.sha256(repr((slugs, sorted(edges))).encode()).hexdigest()
    pos = cache.get(key)
    if pos is None:
        pos = _force_positions(slugs, edges, _iterations_for(n))
        cache.set(key, pos, timeout=24 * 3600)
    pos = [list(p) for p in pos]
    # Fit the drawing to the frame, leaving room for labels.
    margin_x, margin_y = 90.0, 40.0
    xs = [p[0] for p in pos]
    ys = [p[1] for p in pos]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    # One scale for both axes keeps the shape; small pictures are not stretched to the corners.
    scale = min((width - 2 * margin_x) / span_x, (height - 2 * margin_y) / span_y, width / 3)
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(ys) + min(ys)) / 2
    for p in pos:
        p[0] = width / 2 + (p[0] - centre_x) * scale
        p[1] = height / 2 + (p[1] - centre_y) * scale
    nodes = [
        Node(
            org=org,
            x=round(pos[i][0], 1),
            y=round(pos[i][1], 1),
            label_y=round(pos[i][1] - 13, 1),
            label=org.short_name or org.display_name,
            colour=KIND_COLOURS.get(org.kind, "#757575"),
            url=org.get_absolute_url(),
        )
        for i, org in enumerate(orgs)
    ]
    drawn = [
        Edge(
            a=nodes[index[link.source_id]],
            b=nodes[index[link.target_id]],
            kind=link.kind,
            label=link.label,
            dash=EDGE_STYLES.get(link.kind, ""),
        )
        for link in links
    ]
    return nodes, drawn
