"""Anti-scam filter benchmark, run by `bench/run.py`: `python bench/antiscam.py inprocess` once, then
`python bench/antiscam.py django LISTINGS` once per database (DATABASE_URL).

``inprocess`` (pure Python, no Django, so that the process's memory shows the list alone):

1. the browsers' list in memory (``HashIndex``) with 1,000,000 confirmed hashes: build time, memory (the arrays,
   the process's RSS), the size of the full prefix download, and the lookup of the prefixes of generated web
   addresses, against a Python ``set`` of the same prefixes in the same run; the whole client-side step
   (canonicalise, expressions, SHA-256, lookup) per address;
2. extraction of indicators from the labelled SMS and e-mails, against ``re.findall`` of ``https?://`` addresses,
   and adversarial pastes at 5,000 and 20,000 characters (a linear scanner takes four times as long for the second);
3. the look-alike rule on its labelled hosts.

``django``: fills the database with LISTINGS active listings (bulk inserts, not through ``services``), unless it
already holds them, then times ``filterlist.build_index()``, ``filterlist.matches()``, and
``GET /api/v1/filter/matches`` and ``GET /api/v1/filter/list`` through Django's test client against the bare view
``GET /sante/``.

Progress goes to stderr; the figures are one JSON line on stdout.
"""

import csv
import ctypes
import gc
import gzip
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyberaide.antiscam import canonical, domains, extract, lookalike  # noqa: E402
from cyberaide.antiscam.canonical import canonical_url, expression_hash, hash_prefix, url_expressions  # noqa: E402
from cyberaide.antiscam.hashindex import HashIndex, blob_checksum, checksum  # noqa: E402

SEED = 2026
INDEX_SIZE = 1_000_000
LISTED_SITES_SHARE = 100  # one generated address in 100 is on a listed site (its hash is among the 1,000,000)
LOOKUP_REQUESTS = 20_000
EXTRACTION_PASSES = 10
ADVERSARIAL_REPEATS = 7
DJANGO_REQUESTS = 2_000
LIST_REQUESTS = 3
DATA = ROOT / "tests" / "antiscam" / "data"
MESSAGES = DATA / "messages.yaml"
LABELLED = DATA / "lookalike_labelled.csv"
BENCH_REASON = "Inscription générée pour le banc d'essai."

WORDS = (
    "colis suivi livraison ameli remboursement compte banque securite espace client boutique mode promo meteo "
    "recette voyage actu sport sante impots amende paiement service dossier maison jardin auto vente location "
    "energie facture mutuelle assurance credit carte vitale retraite emploi formation cuisine musique cinema"
).split()
TLDS = ("fr", "fr", "fr", "com", "com", "net", "org", "info", "eu", "shop", "online", "top", "xyz", "be")
SUBDOMAINS = ("www", "www", "www", "m", "secure", "mon-espace", "static", "fr", "boutique", "app")
FILES = ("index.html", "page.php", "suivi.aspx", "article-1234.html", "produit", "connexion", "paiement.php")
QUERIES = ("id=48213", "utm_source=sms&utm_campaign=relance&ref=ab12", "page=2&tri=prix", "token=Zk3pQ9xL", "q=colis")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary_us(timings_ns) -> dict:
    """p50, p95, p99, mean and max of nanosecond timings, in microseconds."""
    return {
        "count": len(timings_ns),
        "p50_us": percentile(timings_ns, 0.50) / 1000,
        "p95_us": percentile(timings_ns, 0.95) / 1000,
        "p99_us": percentile(timings_ns, 0.99) / 1000,
        "mean_us": sum(timings_ns) / len(timings_ns) / 1000,
        "max_us": max(timings_ns) / 1000,
    }


def rss_mib() -> float:
    """The process's resident memory now."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def release_memory() -> None:
    """Collect, then hand freed heap pages back to the system, so that RSS shows what is still held."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def clear_caches(*modules) -> None:
    """Empty the memo caches of the modules' functions: every timed call then does the whole work."""
    for module in modules:
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def generated_url(rng: random.Random) -> str:
    """A web address as a browser opens it: scheme, zero to two subdomains, a name, a path of zero to five segments,
    sometimes a query (tracking parameters included) or a fragment, sometimes capitals or an escaped space."""
    name = "-".join(rng.sample(WORDS, rng.choice((1, 1, 2, 2, 3))))
    if rng.random() < 0.3:
        name += str(rng.randrange(100))
    labels = [rng.choice(SUBDOMAINS) for _ in range(rng.choice((0, 1, 1, 1, 2)))] + [name, rng.choice(TLDS)]
    host = ".".join(labels)
    if rng.random() < 0.05:
        host = host.upper()
    segments = [rng.choice(WORDS) for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5)))]
    if rng.random() < 0.6:
        segments.append(rng.choice(FILES))
    path = "/" + "/".join(segments)
    if segments and rng.random() < 0.2:
        path += "/"
    if rng.random() < 0.05:
        path = path.replace("/", "/mon%20espace/", 1)
    url = f"{rng.choice(('https', 'https', 'https', 'http'))}://{host}{path}"
    if rng.random() < 0.4:
        url += "?" + rng.choice(QUERIES)
    if rng.random() < 0.05:
        url += "#haut"
    return url


def url_prefixes(url: str) -> tuple[list[str], list[bytes]]:
    expressions = url_expressions(canonical_url(url))
    return expressions, [hash_prefix(expression_hash(expression)) for expression in expressions]


# ---- 1. The list in memory --------------------------------------------------------------------------------------


def bench_index() -> dict:
    rng = random.Random(SEED)
    urls = [generated_url(rng) for _ in range(LOOKUP_REQUESTS)]
    # One address in LISTED_SITES_SHARE is on a listed site: its shortest expression ("name.tld/") is on the list.
    listed = sorted({url_expressions(canonical_url(url))[-1] for url in urls[::LISTED_SITES_SHARE]})
    clear_caches(canonical, domains)
    release_memory()

    rss_before, peak_before = rss_mib(), peak_rss_mib()
    started = time.perf_counter()
    random_count = INDEX_SIZE - len(listed)
    blob = random.Random(SEED + 1).randbytes(32 * random_count)
    entries = [(blob[n * 32 : (n + 1) * 32], n + 1) for n in range(random_count)]
    entries += [(expression_hash(expression), random_count + n + 1) for n, expression in enumerate(listed)]
    generate_s = time.perf_counter() - started
    log(f"antiscam: {len(entries):,} hashes generated in {generate_s:.1f} s")
    started, cpu_started = time.perf_counter(), time.process_time()
    index = HashIndex(entries)
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    peak_build = peak_rss_mib()
    del entries, blob
    release_memory()
    memory = {
        "nbytes": index.nbytes,
        "raw_bytes": 32 * len(index),
        "rss_growth_mib": rss_mib() - rss_before,
        "peak_rss_growth_mib": peak_build - peak_before,
    }
    log(f"antiscam: index of {len(index):,} built in {build_s:.1f} s, {memory}")

    # What filterlist.snapshot() computes once per version of the journal, with the index.
    started = time.perf_counter()
    blob = index.prefix_blob()
    prefixes_s = time.perf_counter() - started
    started = time.perf_counter()
    list_checksum = blob_checksum(blob)
    checksum_s = time.perf_counter() - started
    prefixes = [blob[start : start + 4] for start in range(0, len(blob), 4)]
    assert list_checksum == checksum(prefixes)
    as_json = json.dumps([prefix.hex() for prefix in prefixes]).encode()
    download = {
        "distinct_prefixes": len(prefixes),
        "binary_bytes": len(prefixes) * 4,
        "json_bytes": len(as_json),
        "json_gzip_bytes": len(gzip.compress(as_json, 6)),
        "prefixes_s": prefixes_s,
        "checksum_s": checksum_s,
        "checksum": list_checksum[:16],
    }
    log(f"antiscam: download {download}")

    # The baseline: the prefixes in a Python set, as a client holds its download (the objects counted one by one).
    local = set(prefixes)
    set_bytes = sys.getsizeof(local) + sum(map(sys.getsizeof, local))
    del prefixes, as_json

    requests = [url_prefixes(url)[1] for url in urls]
    clear_caches(canonical, domains)
    expressions_per_url = sum(map(len, requests)) / len(requests)
    for request in requests[:500]:  # warm-up
        index.lookup(request)
    lookup_ns, lookup_cpu_ns, set_ns, hits = [], [], [], 0
    clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
    for request in requests:
        c0, t0 = cpu_clock(), clock()
        found = index.lookup(request)
        t1, c1 = clock(), cpu_clock()
        lookup_ns.append(t1 - t0)
        lookup_cpu_ns.append(c1 - c0)
        hits += bool(found)
        t0 = clock()
        [prefix for prefix in request if prefix in local]
        set_ns.append(clock() - t0)

    # The whole step a client does for an address it is about to open, caches emptied before each address.
    step_ns = []
    for url in urls:
        clear_caches(canonical)
        t0 = clock()
        index.lookup([hash_prefix(expression_hash(e)) for e in url_expressions(canonical_url(url))])
        step_ns.append(clock() - t0)
    log("antiscam: lookups done")
    return {
        "size": len(index),
        "listed_sites": len(listed),
        "build_s": build_s,
        "build_cpu_s": build_cpu_s,
        "generate_s": generate_s,
        "memory": memory,
        "download": download,
        "set_bytes": set_bytes,
        "requests": len(requests),
        "expressions_per_url": expressions_per_url,
        "requests_with_match": hits,
        "lookup": summary_us(lookup_ns),
        "lookup_cpu": summary_us(lookup_cpu_ns),
        "set": summary_us(set_ns),
        "client_step": summary_us(step_ns),
    }


# ---- 2. Extraction ----------------------------------------------------------------------------------------------

ADVERSARIAL = {
    "digits": "0123456789",
    "dots": ".",
    "a.": "a.",
    "1.": "1.",
    "http://": "http://",
    "@": "@",
    "a@a.": "a@a.",
    "www.": "www.",
    "06 ": "06 ",
    "+33 6 1": "+33 6 1",
    "AB12 ": "AB12 ",
    "a-": "a-",
}


def adversarial_text(unit: str, length: int, rng: random.Random | None = None) -> str:
    if rng is None:
        return (unit * (length // len(unit) + 1))[:length]
    pieces, size = [], 0
    while size < length:
        piece = rng.choice(list(ADVERSARIAL.values()))
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)[:length]


def time_extractions(texts: list[str]) -> list[float]:
    """CPU seconds of one ``extract_indicators`` call on each text: the best of ADVERSARIAL_REPEATS rounds, the texts
    taking turns in each round, caches emptied and the garbage collector paused for each call. CPU time rather than
    wall time: on a shared machine a few milliseconds of wall time are mostly waiting."""
    best = [float("inf")] * len(texts)
    for _ in range(ADVERSARIAL_REPEATS):
        for position, text in enumerate(texts):
            clear_caches(canonical, domains, extract)
            gc.collect()
            gc.disable()
            t0 = time.process_time_ns()
            try:
                extract.extract_indicators(text)
            except extract.InvalidInput:
                pass
            elapsed = (time.process_time_ns() - t0) / 1e9
            gc.enable()
            best[position] = min(best[position], elapsed)
    return best


def bench_extraction() -> dict:
    import yaml

    texts = [entry["text"] for entry in yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))]
    corpus_bytes = sum(len(text.encode("utf-8")) for text in texts)
    clock = time.perf_counter_ns
    for text in texts:  # warm-up (imports, compiled expressions)
        extract.extract_indicators(text)
    cold_ns, warm_ns, findall_ns, found = [], [], [], 0
    url_re = re.compile(r"https?://\S+")
    for _ in range(EXTRACTION_PASSES):
        for text in texts:
            clear_caches(canonical, domains, extract)
            t0 = clock()
            extraction = extract.extract_indicators(text)
            cold_ns.append(clock() - t0)
            found += len(extraction.found)
    for _ in range(EXTRACTION_PASSES):
        for text in texts:
            t0 = clock()
            extract.extract_indicators(text)
            warm_ns.append(clock() - t0)
            t0 = clock()
            url_re.findall(text)
            findall_ns.append(clock() - t0)

    def rate(timings):
        seconds = sum(timings) / 1e9
        return {
            "messages_per_s": len(timings) / seconds,
            "mb_per_s": corpus_bytes * EXTRACTION_PASSES / seconds / 1e6,
            **summary_us(timings),
        }

    # Each paste at a quarter of the longest text accepted and at the longest: a linear scanner takes four times as
    # long for the second, a quadratic one sixteen times.
    adversarial = {}
    lengths = (extract.MAX_TEXT_CHARS // 4, extract.MAX_TEXT_CHARS)
    for name, unit in [*ADVERSARIAL.items(), ("mixed", None)]:
        pastes = [adversarial_text(unit, length, random.Random(SEED) if unit is None else None) for length in lengths]
        short, full = time_extractions(pastes)
        adversarial[name] = {"short_ms": short * 1000, "full_ms": full * 1000, "ratio": full / short}
    log("antiscam: extraction done")
    return {
        "messages": len(texts),
        "corpus_bytes": corpus_bytes,
        "passes": EXTRACTION_PASSES,
        "indicators_found": found // EXTRACTION_PASSES,
        "cold": rate(cold_ns),
        "warm": rate(warm_ns),
        "findall": rate(findall_ns),
        "adversarial_chars": lengths,
        "adversarial": adversarial,
    }


# ---- 3. The look-alike rule -------------------------------------------------------------------------------------


def bench_lookalike() -> dict:
    started = time.perf_counter()
    figures = lookalike.evaluate_labelled(LABELLED)
    evaluate_s = time.perf_counter() - started
    with open(LABELLED, newline="", encoding="utf-8") as handle:
        hosts = [row["host"].strip() for row in csv.DictReader(handle)]
    clear_caches(lookalike, domains)
    lookalike.lookalike_signals("warm-up.example.org")  # loads the brands' official hosts once
    clock = time.perf_counter_ns
    timings = []
    for host in hosts:
        t0 = clock()
        lookalike.lookalike_signals(host)
        timings.append(clock() - t0)
    log("antiscam: look-alike done")
    return {"hosts": len(hosts), "evaluate_s": evaluate_s, "per_host": summary_us(timings), **figures}


def inprocess_main() -> dict:
    figures = {"index": bench_index()}
    figures["extraction"] = bench_extraction()
    figures["lookalike"] = bench_lookalike()
    return figures


# ---- 4. Through Django ------------------------------------------------------------------------------------------


def listed_host(n: int) -> str:
    rng = random.Random(n)
    return f"{'-'.join(rng.sample(WORDS, 2))}-{n}.{rng.choice(TLDS)}"


def ensure_listings(count: int) -> dict:
    """``count`` active listings (one in five a page, the others whole sites) and one journal entry, written with
    bulk inserts; kept for the next runs when the database already holds exactly them."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cyberaide.antiscam.models import Category, FilterChange, Indicator, Kind, Listing, indicator_key

    call_command("migrate", verbosity=0)
    if Listing.objects.active().filter(reason=BENCH_REASON).count() == count and FilterChange.objects.exists():
        return {"seconds": None, "reused": True}
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (FilterChange, Listing, Indicator):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the model's table)
        indicators = []
        for n in range(count):
            host = listed_host(n)
            if n % 5 == 0:
                kind, value = Kind.URL, f"https://{host}/suivi/colis-{n}"
            else:
                kind, value = Kind.SITE, host
            indicators.append(
                Indicator(kind=kind, value=value, key=indicator_key(kind, value), display=value, report_count=1)
            )
        Indicator.objects.bulk_create(indicators, batch_size=5000)
        ids = dict(Indicator.objects.values_list("key", "pk"))
        listings = []
        for indicator in indicators:
            expression = (
                canonical_url(indicator.value).page_expression if indicator.kind == Kind.URL else indicator.value + "/"
            )
            listings.append(
                Listing(
                    indicator_id=ids[indicator.key],
                    category=Category.PHISHING,
                    reason=BENCH_REASON,
                    expression=expression,
                    full_hash=expression_hash(expression).hex(),
                    origin=Listing.Origin.IMPORT,
                    listed_at=now,
                    expires_at=now + timedelta(days=365),
                )
            )
        Listing.objects.bulk_create(listings, batch_size=5000)
        FilterChange.objects.create(full_hash=listings[-1].full_hash, added=True)
    return {"seconds": time.perf_counter() - started, "reused": False}


def django_main(count: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from cyberaide.antiscam import filterlist
    from cyberaide.antiscam.models import Listing

    load = ensure_listings(count)
    log(f"antiscam: {count:,} listings on {connection.vendor} ({load})")
    clock = time.perf_counter_ns

    build_ns = []
    for _ in range(3):
        t0 = clock()
        built = filterlist.build_index()
        build_ns.append(clock() - t0)
    nbytes = built.nbytes
    del built
    filterlist._snapshot = None
    t0 = clock()
    filterlist.snapshot()
    first_index_ms = (clock() - t0) / 1e6

    # matches(): the prefixes of generated addresses, one in ten on a listed site (a hit reads the listing).
    rng = random.Random(SEED)
    requests = []
    for n in range(DJANGO_REQUESTS):
        if n % 10 == 0:  # a listed site (every fifth listing is a page)
            listed = rng.randrange(count // 5) * 5 + rng.randrange(1, 5)
            url = f"https://www.{listed_host(min(listed, count - 1))}/espace/connexion.php?id={n}"
        else:
            url = generated_url(rng)
        requests.append(url_prefixes(url)[1])
    for request in requests[:100]:
        filterlist.matches(request)
    matches_ns, hit_ns, hits = [], [], 0
    for request in requests:
        t0 = clock()
        found = filterlist.matches(request)
        elapsed = clock() - t0
        matches_ns.append(elapsed)
        if found:
            hits += 1
            hit_ns.append(elapsed)

    # The API as a browser calls it: only after a local match, with the prefix that matched (a listed one).
    hashes = list(Listing.objects.active().order_by("pk").values_list("full_hash", flat=True))
    prefixes = [rng.choice(hashes)[:8] for _ in range(DJANGO_REQUESTS)]
    client = Client(HTTP_HOST="127.0.0.1")

    def get(path, data=None):
        t0 = clock()
        response = client.get(path, data)
        elapsed = clock() - t0
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} {data}: {response.status_code} {response.content[:200]!r}")
        return elapsed, response

    for n in range(100):  # warm-up
        get("/sante/")
        get("/api/v1/filter/matches", {"prefix": prefixes[n]})
    bare_ns, api_ns = [], []
    for prefix in prefixes:
        bare_ns.append(get("/sante/")[0])
        elapsed, response = get("/api/v1/filter/matches", {"prefix": prefix})
        api_ns.append(elapsed)
    if not json.loads(response.content)["matches"]:
        raise RuntimeError("The API found no listing for a listed prefix.")

    full_ns, delta_ns = [], []
    for _ in range(LIST_REQUESTS):
        elapsed, response = get("/api/v1/filter/list", {"since": 0})
        full_ns.append(elapsed)
        full_bytes = len(response.content)
        version = json.loads(response.content)["version"]
        delta_ns.append(get("/api/v1/filter/list", {"since": version})[0])
    log("antiscam: Django part done")
    return {
        "vendor": connection.vendor,
        "listings": count,
        "load": load,
        "build_index_ms": {"min": min(build_ns) / 1e6, "max": max(build_ns) / 1e6},
        "first_index_ms": first_index_ms,
        "index_nbytes": nbytes,
        "matches": summary_us(matches_ns),
        "matches_hits": summary_us(hit_ns),
        "matches_hit_count": hits,
        "bare": summary_us(bare_ns),
        "api": summary_us(api_ns),
        "list_full": summary_us(full_ns),
        "list_full_bytes": full_bytes,
        "list_delta": summary_us(delta_ns),
    }


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "inprocess"
    if mode == "inprocess":
        result = inprocess_main()
    elif mode == "django":
        result = django_main(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        sys.exit(f"usage: {sys.argv[0]} inprocess | django [LISTINGS]")
    print(json.dumps(result))
