"""The offline map of Europe: country outlines from content/map/europe.json (Natural
Earth, public domain, converted once by tools/build_europe_map.py) and a projection.

No tiles, no network: the outlines ship with the application."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from co_app.core.content.reading import ContentFileError, load_json
from co_app.core.foundation import resources
from co_app.core.foundation.errors import CoError, sentence
from co_app.core.foundation.i18n import N_

DEFAULT_MAP = resources.map_file()
#: Equirectangular with the x scale of this latitude: Europe keeps a familiar shape.
STANDARD_PARALLEL = 50.0


class MapDataError(CoError):
    """The map file is missing or malformed."""


@dataclass(frozen=True)
class Country:
    id: str  # ISO 3166-1 alpha-2
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # closed rings of (lon, lat)


@dataclass(frozen=True)
class EuropeMap:
    frame_lon: tuple[float, float]
    frame_lat: tuple[float, float]
    countries: tuple[Country, ...]
    source: str

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """(lon, lat) → (x, y) in map units: x grows east, y grows south, origin at the frame's
        north-west corner."""
        k = math.cos(math.radians(STANDARD_PARALLEL))
        return (lon - self.frame_lon[0]) * k, self.frame_lat[1] - lat

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the frame in map units."""
        x, y = self.project(self.frame_lon[1], self.frame_lat[0])
        return x, y

    def country(self, country_id: str) -> Country | None:
        return next((c for c in self.countries if c.id == country_id), None)


def load_map(path: Path = DEFAULT_MAP) -> EuropeMap:
    try:
        data = load_json(path)  # a regular file, not too large, not nested too deep
        countries = tuple(
            Country(c["id"], c["name"], tuple(tuple((float(p[0]), float(p[1])) for p in ring) for ring in c["rings"]))
            for c in data["countries"]
        )
        frame = data["frame"]
        return EuropeMap(tuple(frame["lon"]), tuple(frame["lat"]), countries, data.get("source", ""))
    except ContentFileError as exc:
        raise MapDataError(sentence(N_("The map file {file} {problem}."), file=path, problem=exc)) from None
    except OSError as exc:
        raise MapDataError(sentence(N_("Cannot read the map file {path}: {reason}."),
                                    path=path, reason=exc.strerror or exc)) from exc
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise MapDataError(sentence(N_("The map file {path} is damaged ({problem})."), path=path, problem=exc)) from exc
