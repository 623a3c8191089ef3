"""French communes: postcode → commune(s) → département, with approximate coordinates.

The table is shipped as data (``data/communes.csv.gz``, built by ``scripts/build_geography.py``; sources and
licences in ``data/README.md``) and read once per process, on first use. Nothing is fetched at run time.

Coordinates are those of the town centre when GeoNames knows the commune, and otherwise the population-weighted
centre of the département's known communes: good enough to tell which of two places is closer, not to draw a map.
"""

import csv
import gzip
import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "communes.csv.gz"
COLUMNS = ["postcode", "insee_code", "name", "departement", "population", "lat", "lon"]
EARTH_RADIUS_KM = 6371.0088

_POSTCODE = re.compile(r"[0-9]{5}")
_WHITESPACE = re.compile(r"\s+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# Anything that is not a letter or a digit separates words: hyphens, apostrophes, dots, brackets...
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ABBREVIATION = re.compile(r"\b(?:st|ste|sts|stes)\b")
# "69003 Lyon", "Lyon 69003", "69421 Lyon Cedex 03".
_POSTCODE_FIRST = re.compile(r"^\s*([0-9]{2}\s?[0-9]{3})\b\s*(.*)$", re.DOTALL)
_POSTCODE_LAST = re.compile(r"^(.*?)\s*\b([0-9]{2}\s?[0-9]{3})\s*$", re.DOTALL)
_CEDEX = re.compile(r"\bcedex\b.*$")
# "Lyon 3e", "Paris 15eme arrondissement", "Marseille 13" (after normalise()).
_ARRONDISSEMENT = re.compile(r"\s+[0-9]{1,2}\s?(?:e|er|eme|ieme)?(?:\s+arrondissement)?$")
# "Lyon (69)", "Ajaccio (2A)".
_DEPARTEMENT_HINT = re.compile(r"^(.*?)\s*\(\s*([0-9]{2,3}|2[AaBb])\s*\)$")


@dataclass(frozen=True, slots=True)
class Commune:
    insee_code: str
    name: str
    departement: str
    postcodes: tuple[str, ...]
    population: int
    lat: float
    lon: float


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by one space, "St"/"Ste" spelt "saint"/"sainte".

    "St-Étienne", "saint etienne" and "SAINT-ETIENNE" all give "saint etienne". Letters outside the Latin
    alphabet are dropped.
    """
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).encode("ascii", "ignore").decode().lower()
    text = _SEPARATORS.sub(" ", text).strip()
    return _ABBREVIATION.sub(_expand, text) if "st" in text else text


def _expand(match: re.Match) -> str:
    return _ABBREVIATIONS[match.group()]


def clean_postcode(postcode: str) -> str | None:
    """The postcode without spaces, or None if it is not five digits."""
    postcode = _WHITESPACE.sub("", postcode or "")
    return postcode if _POSTCODE.fullmatch(postcode) else None


@dataclass(frozen=True, slots=True)
class _Table:
    # INSEE code → (name, departement, population, lat, lon) as read; Commune objects are made on demand.
    rows: dict[str, tuple[str, str, str, str, str]]
    postcodes: dict[str, list[str]]  # INSEE code → its postcodes, in order
    codes: dict[str, list[str]]  # postcode → INSEE codes, most populated commune first


@cache
def _table() -> _Table:
    """Read the file once. Its rows are sorted by postcode, then population (largest first), then INSEE code."""
    reader = csv.reader(gzip.decompress(DATA_FILE.read_bytes()).decode("utf-8").splitlines())
    header = next(reader)
    if header != COLUMNS:
        raise ValueError(f"{DATA_FILE}: unexpected columns {header}")
    rows: dict[str, tuple[str, str, str, str, str]] = {}
    postcodes: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    for postcode, code, name, departement, population, lat, lon in reader:
        if code in postcodes:
            postcodes[code].append(postcode)
        else:
            rows[code] = (name, sys.intern(departement), population, lat, lon)
            postcodes[code] = [postcode]
        if postcode in codes:
            codes[postcode].append(code)
        else:
            codes[postcode] = [code]
    return _Table(rows=rows, postcodes=postcodes, codes=codes)


@cache
def _names() -> tuple[tuple[str, str], ...]:
    """(normalised name, INSEE code) of every commune, most populated first: what search() goes through."""
    rows = _table().rows
    ranked = sorted(rows, key=lambda code: (-int(rows[code][2]), code))
    return tuple((normalise(rows[code][0]), code) for code in ranked)


@lru_cache(maxsize=4096)
def _commune(code: str) -> Commune:
    table = _table()
    name, departement, population, lat, lon = table.rows[code]
    return Commune(
        insee_code=code,
        name=name,
        departement=departement,
        postcodes=tuple(table.postcodes[code]),
        population=int(population),
        lat=float(lat),
        lon=float(lon),
    )


def communes_for_postcode(postcode: str) -> list[Commune]:
    """The communes served by a postcode, most populated first; [] if it is not a known five-digit postcode."""
    postcode = clean_postcode(postcode)
    if postcode is None:
        return []
    return [_commune(code) for code in _table().codes.get(postcode, ())]


def all_communes() -> list[Commune]:
    """Every commune of the table (used to generate demonstration data)."""
    return [_commune.__wrapped__(code) for code in _table().rows]


def commune_by_code(insee_code: str) -> Commune | None:
    """The commune with this INSEE code ("75056", "2A004"), if it exists."""
    code = (insee_code or "").strip().upper()
    return _commune(code) if code in _table().rows else None


def is_valid_postcode(postcode: str) -> bool:
    """Whether the postcode serves at least one commune."""
    return bool(communes_for_postcode(postcode))


def departement_of_postcode(postcode: str) -> str | None:
    """The département of the postcode's most populated commune (a few postcodes span two départements)."""
    communes = communes_for_postcode(postcode)
    return communes[0].departement if communes else None


def _matching(name: str, candidates: Iterable[tuple[str, str]]) -> list[str]:
    """Codes of the candidates named `name`, then of those whose name starts with it, then contains it.

    Each group keeps the candidates' order. Without any, the same comparison ignoring spaces ("Lisle sur Tarn"
    for "L'Isle-sur-Tarn").
    """
    candidates = tuple(candidates)
    exact, prefix, inside = [], [], []
    for key, code in candidates:
        if name in key:
            if key == name:
                exact.append(code)
            elif key.startswith(name):
                prefix.append(code)
            else:
                inside.append(code)
    if exact or prefix or inside:
        return exact + prefix + inside
    compact = name.replace(" ", "")
    return [code for key, code in candidates if compact in key.replace(" ", "")]


def search(text: str, limit: int = 10) -> list[Commune]:
    """Communes for a postcode or (part of) a name, accents and case ignored, most likely first.

    A five-digit postcode gives its communes. Otherwise: the communes named exactly so, then those whose name
    starts with the text, then those whose name contains it, each group most populated first.
    """
    if limit <= 0:
        return []
    postcode = clean_postcode(text or "")
    if postcode is not None:
        return communes_for_postcode(postcode)[:limit]
    name = normalise(text or "")
    if not name:
        return []
    return [_commune(code) for code in _matching(name, _names())[:limit]]


def resolve(text: str) -> Commune | None:
    """The single most likely commune for what someone typed: a postcode, a town, or both ("69003 Lyon").

    With a known postcode, the commune of that postcode best matching the town (or its most populated one).
    With an unknown postcode (a CEDEX one, say), the town is looked for first among communes of the same
    département. "Lyon (69)" restricts the town to département 69. Returns None when nothing fits.
    """
    text = _WHITESPACE.sub(" ", text or "").strip()
    departement = None
    if hint := _DEPARTEMENT_HINT.match(text):
        text, departement = hint.group(1), hint.group(2).upper()
    postcode, town = None, text
    if match := _POSTCODE_FIRST.match(text):
        postcode, town = clean_postcode(match.group(1)), match.group(2)
    elif match := _POSTCODE_LAST.match(text):
        town, postcode = match.group(1), clean_postcode(match.group(2))
    town = _ARRONDISSEMENT.sub("", _CEDEX.sub("", normalise(town)).strip())
    if postcode is not None and (communes := communes_for_postcode(postcode)):
        if town:
            named = _matching(town, ((normalise(commune.name), commune.insee_code) for commune in communes))
            if named:
                return _commune(named[0])
        return communes[0]
    if not town:
        return None
    codes = _matching(town, _names())
    table = _table()
    if departement is not None:
        codes = [code for code in codes if table.rows[code][1] == departement]
    elif postcode is not None:
        # Same first two digits: the same département, or next door in Corsica (20) and overseas (97, 98).
        codes = [code for code in codes if any(other[:2] == postcode[:2] for other in table.postcodes[code])] or codes
    return _commune(codes[0]) if codes else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
