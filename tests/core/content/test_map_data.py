"""The offline map of Europe (content/map/europe.json, built by tools/build_europe_map.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

MAP_FILE = Path(__file__).resolve().parents[3] / "co_app" / "data" / "content" / "map" / "europe.json"

# ISO alpha-2 -> expected bbox (min lon, min lat, max lon, max lat) of the country within the
# frame, as Natural Earth 1:50m draws it (islands too small for that scale, such as Lampedusa
# and Ouessant, are not in it); compared with a tolerance of 0.3°.
EXPECTED_BBOXES = {
    "AT": (9.53, 46.37, 17.16, 49.02),
    "NL": (3.36, 50.75, 7.23, 53.56),  # European Netherlands (Caribbean parts lie outside the frame)
    "BE": (2.54, 49.50, 6.41, 51.50),
    "DE": (5.87, 47.27, 15.04, 55.06),
    "RO": (20.26, 43.62, 29.74, 48.27),
    "IT": (6.63, 36.65, 18.52, 47.09),  # Sicily's southern tip
    "PT": (-9.50, 36.96, -6.19, 42.15),  # mainland (Azores and Madeira lie outside the frame)
    "FR": (-4.79, 41.36, 9.56, 51.09),  # metropolitan France and Corsica
}

# (town, lat, lon, ISO alpha-2 of the country it lies in)
TOWNS = [
    ("Gänserndorf", 48.34, 16.72, "AT"),
    ("Zaanstad", 52.44, 4.81, "NL"),
    ("Merchtem", 50.96, 4.23, "BE"),
    ("Jena", 50.93, 11.59, "DE"),
    ("Șomcuta Mare", 47.51, 23.47, "RO"),
    ("Biella", 45.57, 8.05, "IT"),
    ("Caranguejeira", 39.75, -8.72, "PT"),
]


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries(data: dict) -> dict[str, dict]:
    return {country["id"]: country for country in data["countries"]}


def point_in_country(lon: float, lat: float, country: dict) -> bool:
    """Even-odd rule over all rings (the file does not tell outer rings from holes)."""
    inside = False
    for ring in country["rings"]:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):  # rings are closed: last == first
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def test_file_is_small_and_documents_itself(data: dict) -> None:
    assert MAP_FILE.stat().st_size < 400_000
    assert "Natural Earth" in data["source"] and "world-atlas" in data["source"]
    assert "public domain" in data["licence"]
    assert data["frame"] == {"lon": [-25.0, 45.0], "lat": [34.0, 72.0]}
    assert data["projection_hint"]
    assert (MAP_FILE.parent / "README.md").is_file()


def test_country_ids_are_unique_iso_alpha2(data: dict) -> None:
    ids = [country["id"] for country in data["countries"]]
    assert len(ids) == len(set(ids))
    assert all(len(code) == 2 and code.isascii() and code.isupper() for code in ids)
    assert ids == sorted(ids)
    assert len(ids) >= 40  # the whole of Europe plus its edges, not just the towns' countries
    assert all(country["name"] for country in data["countries"])


@pytest.mark.parametrize("code", sorted(EXPECTED_BBOXES))
def test_towns_countries_are_present_with_plausible_extent(countries: dict, code: str) -> None:
    assert code in countries
    country = countries[code]
    xs = [p[0] for ring in country["rings"] for p in ring]
    ys = [p[1] for ring in country["rings"] for p in ring]
    actual = (min(xs), min(ys), max(xs), max(ys))
    assert list(actual) == country["bbox"]
    for got, want in zip(actual, EXPECTED_BBOXES[code]):
        assert got == pytest.approx(want, abs=0.3), (code, actual)


def test_rings_are_closed_and_within_the_frame(data: dict) -> None:
    (lon0, lon1), (lat0, lat1) = data["frame"]["lon"], data["frame"]["lat"]
    for country in data["countries"]:
        assert country["rings"], country["id"]
        for ring in country["rings"]:
            assert len(ring) >= 4, country["id"]
            assert ring[0] == ring[-1], country["id"]
            for lon, lat in ring:
                assert lon0 <= lon <= lon1 and lat0 <= lat <= lat1, (country["id"], lon, lat)
                assert round(lon, 3) == lon and round(lat, 3) == lat


@pytest.mark.parametrize(("town", "lat", "lon", "code"), TOWNS, ids=[t[0] for t in TOWNS])
def test_town_lies_in_its_country_and_no_other(countries: dict, town: str, lat: float, lon: float, code: str) -> None:
    assert point_in_country(lon, lat, countries[code]), f"{town} not inside {code}"
    others = [c for c, country in countries.items() if c != code and point_in_country(lon, lat, country)]
    assert others == [], f"{town} also inside {others}"


def test_enclaves_and_disputed_areas(countries: dict) -> None:
    # Vatican City is a country of its own and a hole in Italy's outline (even-odd rule).
    x0, y0, x1, y1 = countries["VA"]["bbox"]
    middle = ((x0 + x1) / 2, (y0 + y1) / 2)
    assert point_in_country(*middle, countries["VA"])
    assert not point_in_country(*middle, countries["IT"])
    assert point_in_country(12.40, 41.80, countries["IT"])  # Rome's outskirts
    # Crimea is drawn as Ukraine (EU and UN GA resolution 68/262), not Russia.
    assert point_in_country(34.10, 44.95, countries["UA"])
    assert not point_in_country(34.10, 44.95, countries["RU"])
    # Russia's outline crosses the antimeridian: nothing of it may be smeared across the frame.
    assert countries["RU"]["bbox"][0] > 19.0  # westernmost: Kaliningrad
