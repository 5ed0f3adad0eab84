#!/usr/bin/env python3
"""Cut the country borders that corridor's network map draws out of Natural Earth.

Input: countries-50m.json of the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 Admin 0
countries, 1:50m, as TopoJSON; fetched at development time only, see data/borders/SOURCE.md).
Output (stdout): a GeoJSON FeatureCollection clipped to a box around West Africa, simplified
(Douglas-Peucker), coordinates rounded to 0.001 degree:
  - kind "country": name, iso_n3, MultiPolygon (clipped to the box; for fills and names);
  - kind "border": LineString of a land border between two countries (a shared arc);
  - kind "coast": LineString of a coast or other outer edge (an arc of one country only).
Python 3 standard library only. Usage:
  python3 scripts/borders-extract.py package/countries-50m.json > data/borders/west_africa.geojson
"""

import json
import sys

BOX = (-30.0, -5.0, 15.0, 30.0)  # lon min, lat min, lon max, lat max
TOLERANCE = 0.015  # degrees, for Douglas-Peucker
DECIMALS = 3


def decode_arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points, tol):
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm > 0 else ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if d > best:
                best, index = d, i
        if index is not None and best > tol:
            keep[index] = True
            stack.append((a, index))
            stack.append((index, b))
    return [p for p, k in zip(points, keep) if k]


def ring(arc_indices, arcs):
    out = []
    for i in arc_indices:
        points = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(points if not out else points[1:])
    return out


def clip_polygon(points, box):
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda a, b: (x0, a[1] + (x0 - a[0]) / (b[0] - a[0]) * (b[1] - a[1]))),
        (lambda p: p[0] <= x1, lambda a, b: (x1, a[1] + (x1 - a[0]) / (b[0] - a[0]) * (b[1] - a[1]))),
        (lambda p: p[1] >= y0, lambda a, b: (a[0] + (y0 - a[1]) / (b[1] - a[1]) * (b[0] - a[0]), y0)),
        (lambda p: p[1] <= y1, lambda a, b: (a[0] + (y1 - a[1]) / (b[1] - a[1]) * (b[0] - a[0]), y1)),
    ]
    poly = points
    for inside, cross in edges:
        if not poly:
            break
        src, poly = poly, []
        for i, cur in enumerate(src):
            prev = src[i - 1]
            if inside(cur):
                if not inside(prev):
                    poly.append(cross(prev, cur))
                poly.append(cur)
            elif inside(prev):
                poly.append(cross(prev, cur))
    return poly


def clip_line(points, box):
    """The pieces of a polyline inside the box (points outside split it)."""
    x0, y0, x1, y1 = box
    inside = lambda p: x0 <= p[0] <= x1 and y0 <= p[1] <= y1
    pieces, current = [], []
    for p in points:
        if inside(p):
            current.append(p)
        else:
            if len(current) >= 2:
                pieces.append(current)
            current = []
    if len(current) >= 2:
        pieces.append(current)
    return pieces


def rounded(points):
    out = []
    for x, y in points:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def main(path):
    topo = json.load(open(path, encoding="utf-8"))
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]
    geometries = topo["objects"]["countries"]["geometries"]
    users = {}
    features = []
    for g in geometries:
        polygons = g.get("arcs", [])
        if g["type"] == "Polygon":
            polygons = [polygons]
        parts = []
        for polygon in polygons:
            for k, r in enumerate(polygon):
                for i in r:
                    users.setdefault(i if i >= 0 else ~i, []).append(g["properties"]["name"])
            rings = [rounded(clip_polygon(ring(r, arcs), BOX)) for r in polygon]
            if len(rings[0]) >= 3:
                parts.append([r for r in rings if len(r) >= 3])
        if parts:
            features.append({
                "type": "Feature",
                "properties": {"kind": "country", "name": g["properties"]["name"], "iso_n3": g.get("id", "")},
                "geometry": {"type": "MultiPolygon", "coordinates": parts},
            })
    for i in sorted(users):
        names = sorted(set(users[i]))
        kind = "border" if len(names) > 1 else "coast"
        for piece in clip_line(arcs[i], BOX):
            points = rounded(piece)
            if len(points) >= 2:
                features.append({
                    "type": "Feature",
                    "properties": {"kind": kind, "countries": names},
                    "geometry": {"type": "LineString", "coordinates": points},
                })
    json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, ensure_ascii=False,
              separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
