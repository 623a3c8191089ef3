"""Prevention content benchmark, run by `bench/run.py` once per database: `python bench/content.py COPIES`.

Loads the seed pages, then COPIES more copies of them (about the size of the national service's 500 contents),
and measures in-process: the site search for realistic queries against listing one section (the cheapest
content query, the baseline), where the expected page ranks for the three reference queries, and the cost of
the alert banner that every public page pays. Prints one JSON line.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cyberaide.content.models import ContentPage, SectionPage, visible_now  # noqa: E402
from cyberaide.content.search import search  # noqa: E402
from cyberaide.content.seed import create_page, load_content, read_pages  # noqa: E402
from cyberaide.content.selectors import banner_alerts, forget_banner_alerts  # noqa: E402
from cyberaide.diagnostic.taxonomy import load_taxonomy  # noqa: E402

QUERIES = [
    "arnaque colis",
    "mot de passe volé",
    "rançongiciel mairie",
    "faux conseiller bancaire",
    "sms amende",
    "compte facebook piraté",
    "chantage webcam",
    "virus ordinateur",
    "site de vente frauduleux",
    "usurpation d'identité",
    "sauvegarde",
    "mise à jour téléphone",
    "double authentification",
    "harcèlement",
    "fuite de données",
    "faux support technique",
    "placement crypto",
    "carte bancaire",
    "hameconnage",
    "piratage standard téléphonique",
]
REFERENCE = {
    "arnaque colis": "arnaque-au-colis-faux-sms-livraison",
    "mot de passe volé": "compte-pirate-mot-de-passe-vole-que-faire",
    "rançongiciel mairie": "rancongiciel-mairie-petites-communes",
}
ROUNDS = 30


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(timings_ms):
    return {
        "p50": round(statistics.median(timings_ms), 2),
        "p95": round(percentile(timings_ms, 0.95), 2),
        "count": len(timings_ms),
    }


def load_seed() -> None:
    call_command("migrate", verbosity=0)
    load_taxonomy()
    load_content()


def reference_ranks() -> dict:
    """Where the expected page comes for each reference query, on the seed content alone."""
    ranks = {}
    for query, slug in REFERENCE.items():
        slugs = [page.slug for page in search(query).pages]
        ranks[query] = slugs.index(slug) + 1 if slug in slugs else None
    return ranks


def fill(copies: int) -> int:
    entries = [entry for entry in read_pages() if entry["type"] != "alert"]
    for copy in range(1, copies + 1):
        for entry in entries:
            create_page({**entry, "slug": f"{entry['slug']}-{copy}", "title": f"{entry['title']} ({copy})"})
    return visible_now(ContentPage.objects.all()).count()


def timed(function, rounds):
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main():
    copies = int(sys.argv[1])
    load_seed()
    ranks = reference_ranks()
    pages = fill(copies)
    for query in QUERIES:  # warm-up
        search(query)
    search_ms = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            search(query)
            search_ms.append((time.perf_counter() - started) * 1000)
    section = SectionPage.objects.get(slug="fiches-reflexes")

    def list_section():
        list(visible_now(ContentPage.objects.child_of(section)).order_by("title")[:30])

    listing_ms = timed(list_section, ROUNDS * len(QUERIES))

    def cold_banner():
        forget_banner_alerts()
        banner_alerts()

    banner_cold_ms = timed(cold_banner, 500)
    banner_alerts()
    banner_warm_ms = timed(banner_alerts, 5000)
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "pages": pages,
                "search": summary(search_ms),
                "listing": summary(listing_ms),
                "banner_cold": summary(banner_cold_ms),
                "banner_warm_us": round(percentile(banner_warm_ms, 0.95) * 1000, 1),
                "ranks": ranks,
            }
        )
    )


if __name__ == "__main__":
    main()
