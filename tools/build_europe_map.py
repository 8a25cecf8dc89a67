#!/usr/bin/env python3
"""One-off converter: Natural Earth country outlines (world-atlas TopoJSON) -> content/map/europe.json.

The app draws its map of Europe offline from the compact file this script writes; the file is
committed, so this script only runs again when the source data or the frame changes.

Usage (see content/map/README.md for the exact command and the world-atlas version used)::

    cd /tmp && mkdir -p wa && cd wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 tools/build_europe_map.py /tmp/wa/package/countries-50m.json

Standard library only. What it does:

1. decodes the TopoJSON arcs (delta-encoded, quantized; ``transform`` scale/translate) to lon/lat;
2. simplifies every *arc* once with Douglas-Peucker (so a border shared by two countries is
   simplified identically on both sides: no gaps or overlaps), keeping at least the farthest
   point of each arc so that no ring collapses;
3. assembles each country's Polygon/MultiPolygon into rings, with longitudes made continuous
   across the antimeridian;
4. clips every ring that leaves the frame (Sutherland-Hodgman against the frame rectangle)
   and drops the slivers clipping leaves behind (rings wholly inside are kept however small);
5. moves the polygons listed in POLYGON_OVERRIDES to the country they are drawn under
   (Crimea: Ukraine);
6. rounds to 3 decimals and writes compact JSON, countries sorted by ISO 3166-1 alpha-2 code.

Output format: ``countries[].rings`` is a flat list of closed rings (first point == last point,
at least 4 points each) of ``[lon, lat]``; outer rings and holes are not distinguished, so draw
and hit-test them with the even-odd rule (e.g. Vatican City and San Marino are holes in Italy).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

FRAME_LON = (-25.0, 45.0)
FRAME_LAT = (34.0, 72.0)
DEFAULT_TOLERANCE = 0.01  # degrees (about 1 km): ~190 KB of output
MIN_SLIVER_AREA = 0.001  # square degrees: pieces left by clipping smaller than this are dropped

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "content" / "map" / "europe.json"

# ISO 3166-1 numeric (world-atlas ids) -> (alpha-2, English short name), for every country
# whose outline reaches into the frame. Kosovo has no ISO code (world-atlas gives it no id);
# "XK" is the user-assigned code in common use (EU, IMF). Northern Cyprus (no id either) is
# merged into Cyprus, the only state ISO 3166 lists there.
COUNTRIES: dict[str, tuple[str, str]] = {
    "008": ("AL", "Albania"),
    "012": ("DZ", "Algeria"),
    "020": ("AD", "Andorra"),
    "031": ("AZ", "Azerbaijan"),
    "040": ("AT", "Austria"),
    "051": ("AM", "Armenia"),
    "056": ("BE", "Belgium"),
    "070": ("BA", "Bosnia and Herzegovina"),
    "100": ("BG", "Bulgaria"),
    "112": ("BY", "Belarus"),
    "191": ("HR", "Croatia"),
    "196": ("CY", "Cyprus"),
    "203": ("CZ", "Czechia"),
    "208": ("DK", "Denmark"),
    "233": ("EE", "Estonia"),
    "234": ("FO", "Faroe Islands"),
    "246": ("FI", "Finland"),
    "248": ("AX", "Åland Islands"),
    "250": ("FR", "France"),
    "268": ("GE", "Georgia"),
    "276": ("DE", "Germany"),
    "300": ("GR", "Greece"),
    "304": ("GL", "Greenland"),
    "348": ("HU", "Hungary"),
    "336": ("VA", "Vatican City"),
    "352": ("IS", "Iceland"),
    "364": ("IR", "Iran"),
    "368": ("IQ", "Iraq"),
    "372": ("IE", "Ireland"),
    "380": ("IT", "Italy"),
    "422": ("LB", "Lebanon"),
    "428": ("LV", "Latvia"),
    "438": ("LI", "Liechtenstein"),
    "440": ("LT", "Lithuania"),
    "442": ("LU", "Luxembourg"),
    "470": ("MT", "Malta"),
    "492": ("MC", "Monaco"),
    "498": ("MD", "Moldova"),
    "499": ("ME", "Montenegro"),
    "504": ("MA", "Morocco"),
    "528": ("NL", "Netherlands"),
    "578": ("NO", "Norway"),
    "616": ("PL", "Poland"),
    "620": ("PT", "Portugal"),
    "642": ("RO", "Romania"),
    "643": ("RU", "Russia"),
    "674": ("SM", "San Marino"),
    "688": ("RS", "Serbia"),
    "703": ("SK", "Slovakia"),
    "705": ("SI", "Slovenia"),
    "724": ("ES", "Spain"),
    "752": ("SE", "Sweden"),
    "756": ("CH", "Switzerland"),
    "760": ("SY", "Syria"),
    "788": ("TN", "Tunisia"),
    "792": ("TR", "Türkiye"),
    "804": ("UA", "Ukraine"),
    "807": ("MK", "North Macedonia"),
    "826": ("GB", "United Kingdom"),
    "831": ("GG", "Guernsey"),
    "832": ("JE", "Jersey"),
    "833": ("IM", "Isle of Man"),
}
# world-atlas features without an id, by properties.name
UNNUMBERED: dict[str, tuple[str, str]] = {
    "Kosovo": ("XK", "Kosovo"),
    "N. Cyprus": ("CY", "Cyprus"),
}

Point = tuple[float, float]

# Polygons moved to another country: (world-atlas id, a point inside the polygon's outer ring,
# ISO alpha-2 it is drawn under). Natural Earth's default view puts Crimea in Russia's
# MultiPolygon; this app follows the EU and UN General Assembly resolution 68/262, which
# recognise it as part of Ukraine. (Point: Simferopol.)
POLYGON_OVERRIDES: list[tuple[str, Point, str]] = [
    ("643", (34.10, 44.95), "UA"),
]


# --- TopoJSON decoding -------------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[Point]]:
    transform = topology.get("transform")
    sx, sy = transform["scale"] if transform else (1.0, 1.0)
    tx, ty = transform["translate"] if transform else (0.0, 0.0)
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[Point] = []
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
            else:
                x, y = position[0], position[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


# --- simplification ----------------------------------------------------------------------------


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(p[0] - ax, p[1] - ay)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def _farthest(points: list[Point], first: int, last: int) -> tuple[int, float]:
    best, best_d = -1, -1.0
    a, b = points[first], points[last]
    for i in range(first + 1, last):
        d = _segment_distance(points[i], a, b)
        if d > best_d:
            best, best_d = i, d
    return best, best_d


def simplify_arc(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, endpoints kept; an arc with interior points keeps at least its farthest
    one (two for a closed arc), so rings built from simplified arcs never collapse below 4 points."""
    n = len(points)
    if n <= 2 or tolerance <= 0:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    closed = points[0] == points[-1]
    stack: list[tuple[int, int]] = []
    if closed:
        # split a closed arc at its point farthest from the start, and keep that point too
        far = max(range(1, n - 1), key=lambda i: math.hypot(points[i][0] - points[0][0], points[i][1] - points[0][1]))
        keep[far] = True
        for first, last in ((0, far), (far, n - 1)):
            idx, _ = _farthest(points, first, last)
            if idx > 0:
                keep[idx] = True  # minimum shape: a closed arc keeps 4 distinct-ish points
                stack += [(first, idx), (idx, last)]
    else:
        idx, _ = _farthest(points, 0, n - 1)
        keep[idx] = True
        stack += [(0, idx), (idx, n - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        idx, dist = _farthest(points, first, last)
        if dist > tolerance:
            keep[idx] = True
            stack += [(first, idx), (idx, last)]
    return [p for p, k in zip(points, keep) if k]


# --- rings -------------------------------------------------------------------------------------


def assemble_ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    ring: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def unwrap_ring(ring: list[Point]) -> list[Point]:
    """Make longitudes continuous across the antimeridian (Russia's outline jumps 180 -> -180),
    so the far side lands beyond +-180 and clipping drops it instead of drawing a band across."""
    out: list[Point] = []
    shift = 0.0
    for i, (x, y) in enumerate(ring):
        if i:
            step = x + shift - out[-1][0]
            if step > 180.0:
                shift -= 360.0
            elif step < -180.0:
                shift += 360.0
        out.append((x + shift, y))
    return out


def clip_ring(ring: list[Point], lon: tuple[float, float], lat: tuple[float, float]) -> list[Point]:
    """Sutherland-Hodgman against the frame rectangle; returns an open list of points."""
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    edges = (
        (lambda p: p[0] >= lon[0], lambda a, b: _cut_x(a, b, lon[0])),
        (lambda p: p[0] <= lon[1], lambda a, b: _cut_x(a, b, lon[1])),
        (lambda p: p[1] >= lat[0], lambda a, b: _cut_y(a, b, lat[0])),
        (lambda p: p[1] <= lat[1], lambda a, b: _cut_y(a, b, lat[1])),
    )
    for inside, cut in edges:
        if not points:
            break
        out: list[Point] = []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cut(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cut(prev, cur))
            prev = cur
        points = out
    return points


def _cut_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def point_in_ring(lon: float, lat: float, ring: list[Point]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def ring_area(points: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1]))) / 2.0


def _in_frame(p: Point) -> bool:
    return FRAME_LON[0] <= p[0] <= FRAME_LON[1] and FRAME_LAT[0] <= p[1] <= FRAME_LAT[1]


def finish_ring(points: list[Point], decimals: int, min_area: float) -> list[list[float]] | None:
    """Round, drop repeated points, close; None when nothing drawable is left (fewer than three
    distinct points, no area, or a clipping sliver smaller than min_area)."""
    out: list[tuple[float, float]] = []
    for x, y in points:
        q = (round(x, decimals), round(y, decimals))
        if not out or out[-1] != q:
            out.append(q)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    area = ring_area(out) if len(out) >= 3 else 0.0
    if area <= 0.0 or area < min_area:
        return None
    out.append(out[0])
    return [[x, y] for x, y in out]


# --- driver ------------------------------------------------------------------------------------


def _polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def build(topology: dict, tolerance: float, decimals: int = 3, source_label: str = "") -> dict:
    raw = decode_arcs(topology)
    arcs = [simplify_arc(arc, tolerance) for arc in raw]
    by_code: dict[str, dict] = {}
    unknown: list[str] = []
    applied: set[tuple[str, str]] = set()
    names = {code: english for code, english in [*COUNTRIES.values(), *UNNUMBERED.values()]}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "?")
        key = geometry.get("id")
        entry = COUNTRIES.get(key) if key is not None else UNNUMBERED.get(name)
        for polygon in _polygons(geometry):
            code = entry[0] if entry else None
            outer = unwrap_ring(assemble_ring(polygon[0], raw))
            for source_id, (lon, lat), target in POLYGON_OVERRIDES:
                if key == source_id and point_in_ring(lon, lat, outer):
                    code = target
                    applied.add((source_id, target))
            rings: list[list[list[float]]] = []
            clipped = False
            for indices in polygon:
                ring = unwrap_ring(assemble_ring(indices, arcs))
                was_cut = any(not _in_frame(p) for p in ring)
                cut = clip_ring(ring, FRAME_LON, FRAME_LAT) if was_cut else ring
                finished = finish_ring(cut, decimals, MIN_SLIVER_AREA if was_cut else 0.0)
                clipped = clipped or (was_cut and finished is not None)
                if finished:
                    rings.append(finished)
            if not rings:
                continue
            if code is None:
                unknown.append(f"{key} {name}")
                break
            country = by_code.setdefault(code, {"id": code, "name": names[code], "clipped": False, "rings": []})
            country["rings"].extend(rings)
            country["clipped"] = country["clipped"] or clipped
    if unknown:
        raise SystemExit("no ISO alpha-2 code in the table for: " + ", ".join(unknown))
    missed = [o for o in POLYGON_OVERRIDES if (o[0], o[2]) not in applied]
    if missed:
        raise SystemExit(f"polygon overrides matched nothing (source data changed?): {missed}")
    countries = []
    for code in sorted(by_code):
        country = by_code[code]
        xs = [p[0] for ring in country["rings"] for p in ring]
        ys = [p[1] for ring in country["rings"] for p in ring]
        country["bbox"] = [min(xs), min(ys), max(xs), max(ys)]
        countries.append({k: country[k] for k in ("id", "name", "bbox", "clipped", "rings")})
    return {
        "source": source_label or "Natural Earth country outlines via world-atlas",
        "licence": "Natural Earth: public domain. world-atlas packaging: ISC licence, (c) Michael Bostock.",
        "frame": {"lon": list(FRAME_LON), "lat": list(FRAME_LAT)},
        "projection_hint": (
            "equirectangular with cos(50°) x-scale, or Lambert azimuthal equal-area centred 10°E 52°N"
        ),
        "format": (
            "countries[].rings: closed rings (first point == last point, >= 4 points) of [lon, lat] "
            "in degrees (WGS 84), 3 decimals; outer rings and holes are not distinguished: fill and "
            "hit-test with the even-odd rule. bbox is [min lon, min lat, max lon, max lat]. "
            "clipped: the country was cut at the frame edge. id: ISO 3166-1 alpha-2 (XK = Kosovo)."
        ),
        "simplification": {"method": "Douglas-Peucker per shared arc", "tolerance_degrees": tolerance},
        "countries": countries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="degrees")
    args = parser.parse_args(argv)

    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    version = "?"
    package_json = args.topojson.parent / "package.json"
    if package_json.is_file():
        version = json.loads(package_json.read_text(encoding="utf-8")).get("version", "?")
    label = f"Natural Earth 1:50m admin-0 countries, via world-atlas {version} ({args.topojson.name})"
    data = build(topology, args.tolerance, source_label=label)

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(args.out)
    points = sum(len(r) for c in data["countries"] for r in c["rings"])
    print(f"{args.out}: {len(text.encode('utf-8'))} bytes, {len(data['countries'])} countries, "
          f"{points} points, tolerance {args.tolerance}°", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
