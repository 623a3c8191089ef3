"""Matching benchmark, run by `bench/run.py` once per database and per size: `python bench/matching.py N`.

Fills the database given by DATABASE_URL with N generated providers (unless it already holds N), then measures
`find_matches` as the result page calls it, for victims drawn like real ones (places weighted by population,
audiences by their share of journeys), and the coverage: in how many départements a victim of each audience
gets at least 3 eligible providers. Prints one JSON line.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from cyberaide.accounts.models import User  # noqa: E402
from cyberaide.core import communes  # noqa: E402
from cyberaide.providers.demo import create_providers  # noqa: E402
from cyberaide.providers.models import Provider  # noqa: E402
from cyberaide.providers.selectors import Place, find_matches  # noqa: E402

QUERIES = 400
AUDIENCE_WEIGHTS = {"particulier": 94, "entreprise": 4, "association": 1, "collectivite": 1}
# The skills a typical situation of each audience calls for (its top threats, PRODUCT.md): a hacked account still
# in the pirate's hands, ransomware, a password typed on a phishing page, ransomware.
EXPERTISE_OF = {
    "particulier": ("comptes_messageries",),
    "entreprise": ("postes_serveurs", "recuperation_donnees", "reseaux_telephonie"),
    "association": ("comptes_messageries",),
    "collectivite": ("postes_serveurs", "recuperation_donnees", "reseaux_telephonie"),
}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def place_of(commune) -> Place:
    return Place(commune.name, commune.postcodes[0], commune.departement, commune.lat, commune.lon)


def ensure_providers(count: int) -> float:
    call_command("migrate", verbosity=0)
    if Provider.objects.count() == count:
        return 0.0
    Provider.objects.all().delete()
    User.objects.filter(username__endswith="@demo.cyberaide.example").delete()
    started = time.perf_counter()
    create_providers(count, seed=7)
    return time.perf_counter() - started


def main():
    count = int(sys.argv[1])
    generation_seconds = ensure_providers(count)
    rng = random.Random(11)
    places = [c for c in communes.all_communes() if c.population > 0]
    weights = [c.population for c in places]
    timings = []
    for n in range(QUERIES + 20):
        audience = rng.choices(list(AUDIENCE_WEIGHTS), weights=list(AUDIENCE_WEIGHTS.values()))[0]
        place = place_of(rng.choices(places, weights=weights)[0])
        t0 = time.perf_counter_ns()
        find_matches(audience=audience, expertise=EXPERTISE_OF[audience], place=place, seed=str(n))
        if n >= 20:  # the first ones warm the caches and the connection
            timings.append((time.perf_counter_ns() - t0) / 1e6)

    largest = {}
    for commune in places:
        if commune.population > largest.get(commune.departement, (None, -1))[1]:
            largest[commune.departement] = (commune, commune.population)
    coverage = {}
    for audience, expertise in EXPERTISE_OF.items():
        found = [
            find_matches(audience=audience, expertise=expertise, place=place_of(c), seed="coverage")
            for c, _ in largest.values()
        ]
        coverage[audience] = {
            "departements": len(found),
            "eligible": sum(f.eligible_count >= 3 for f in found),
            "on_site": sum(f.covering_count >= 3 for f in found),
        }
    print(
        json.dumps(
            {
                "providers": count,
                "generation_seconds": round(generation_seconds, 1),
                "queries": len(timings),
                "p50_ms": percentile(timings, 0.5),
                "p95_ms": percentile(timings, 0.95),
                "p99_ms": percentile(timings, 0.99),
                "coverage": coverage,
            }
        )
    )


if __name__ == "__main__":
    main()
