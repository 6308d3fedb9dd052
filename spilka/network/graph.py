"""The picture of the network: an SVG drawn on the server, no tiles, no scripts.

Layout: a deterministic force-directed layout (Fruchterman–Reingold) seeded from the
organisations' slugs, so the same network draws the same way every time.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from spilka.network.models import Organisation, OrganisationKind, Relationship

KIND_COLOURS = {
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
}


@dataclass
class Node:
    org: Organisation
    x: float
    y: float
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


def _seed(slug: str) -> tuple[float, float]:
    digest = hashlib.sha256(slug.encode()).digest()
    return digest[0] / 255.0, digest[1] / 255.0


def layout(
    orgs: list[Organisation], rels: list[Relationship], width: int = 900, height: int = 600, iterations: int = 200
) -> tuple[list[Node], list[Edge]]:
    n = len(orgs)
    if n == 0:
        return [], []
    index = {org.pk: i for i, org in enumerate(orgs)}
    pos = []
    for i, org in enumerate(orgs):
        sx, sy = _seed(org.slug)
        angle = 2 * math.pi * i / n
        pos.append([width / 2 + (width / 3) * math.cos(angle) + sx * 10, height / 2 + (height / 3) * math.sin(angle) + sy * 10])
    edges = [(index[r.source_id], index[r.target_id]) for r in rels if r.source_id in index and r.target_id in index]
    k = math.sqrt(width * height / n) * 0.75
    temperature = width / 10
    for _step in range(iterations):
        disp = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                dx = pos[i][0] - pos[j][0]
                dy = pos[i][1] - pos[j][1]
                dist = math.hypot(dx, dy) or 0.01
                force = k * k / dist
                disp[i][0] += dx / dist * force
                disp[i][1] += dy / dist * force
                disp[j][0] -= dx / dist * force
                disp[j][1] -= dy / dist * force
        for i, j in edges:
            dx = pos[i][0] - pos[j][0]
            dy = pos[i][1] - pos[j][1]
            dist = math.hypot(dx, dy) or 0.01
            force = dist * dist / k
            disp[i][0] -= dx / dist * force
            disp[i][1] -= dy / dist * force
            disp[j][0] += dx / dist * force
            disp[j][1] += dy / dist * force
        for i in range(n):
            length = math.hypot(*disp[i]) or 0.01
            step = min(length, temperature)
            pos[i][0] = min(width - 80, max(80, pos[i][0] + disp[i][0] / length * step))
            pos[i][1] = min(height - 30, max(30, pos[i][1] + disp[i][1] / length * step))
        temperature *= 0.97
    nodes = [
        Node(
            org=org,
            x=round(pos[i][0], 1),
            y=round(pos[i][1], 1),
            label=org.short_name or org.display_name,
            colour=KIND_COLOURS.get(org.kind, "#757575"),
            url=org.get_absolute_url(),
        )
        for i, org in enumerate(orgs)
    ]
    drawn = []
    for r in rels:
        if r.source_id in index and r.target_id in index:
            drawn.append(
                Edge(
                    a=nodes[index[r.source_id]],
                    b=nodes[index[r.target_id]],
                    kind=r.kind,
                    label=str(r.get_kind_display()),
                    dash=EDGE_STYLES.get(r.kind, ""),
                )
            )
    return nodes, drawn
