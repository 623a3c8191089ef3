"""`make bench`: the diagnostic engine in-process, then a diagnostic step over HTTP against a bare JSON view,
both served by the production server (uvicorn, several workers, DEBUG off) in the same run.

Traffic goes to 127.0.0.1 only, with a bounded number of requests. Results go to docs/benchmarks.md.

`python bench/run.py observatory` runs the observatory part alone and rewrites its section of
docs/benchmarks.md only, keeping the other sections' last figures; `python bench/run.py antiscam` does the same for
the anti-scam filter, `python bench/run.py diagnosis` for the situation-aware diagnosis, and
`python bench/run.py triage` for the free-text triage.
"""

import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
HOST, PORT = "127.0.0.1", 8765
WORKERS = 2
CLIENT_THREADS = 8
REQUESTS_PER_SCENARIO = 4000
ENGINE_STEPS = 200_000
# Providers generated for the matching benchmark: about the national network today, and a stress size.
MATCHING_SIZES = (1_600, 100_000)
MATCHING_TARGETS_MS = {1_600: 20, 100_000: 100}
# Copies of the seed prevention pages added for the content benchmark: about the national service's 500.
CONTENT_COPIES = 9
# 17Cyber: concurrent conversations (two sockets each) over two server processes, and the round-trip target.
CHAT_CONVERSATIONS = 500
CHAT_TARGET_P95_MS = 200
# Observatory: synthetic finished journeys (about three years), requests per dashboard scenario, targets.
OBSERVATORY_RECORDS = 5_000_000
OBSERVATORY_REQUESTS = 1_000
OBSERVATORY_SINGLE_CLIENT_REQUESTS = 200  # the same mix, one request at a time: the page's own time
OBSERVATORY_DASHBOARD_TARGET_MS = 200
OBSERVATORY_DAY_TARGET_S = 5
OBSERVATORY_HEADING = "## Observatory"
DASHBOARD_VARIANTS = ("default", "one month", "one audience", "whole range")
OBSERVATORY_AUDIENCES = ("particulier", "entreprise", "association", "collectivite")
# Anti-scam filter: listings in the database for the Django measures, and the targets.
ANTISCAM_HEADING = "## Anti-scam filter"
DIAGNOSIS_HEADING = "## Situation-aware diagnosis"
DIAGNOSIS_MEDIAN_TARGET = 5  # questions over the team's victims' situations
TRIAGE_HEADING = "## Free-text triage"
ANTISCAM_LISTINGS = 100_000
ANTISCAM_LOOKUP_TARGET_MS = 5  # p95 of one lookup (the prefixes of one address) in the list of 1,000,000
ANTISCAM_INDEX_TARGET_MB = 50  # the list of 1,000,000 in memory
ANTISCAM_LINEAR_RATIO = 6  # four times the text: a linear scanner takes 4 times as long, a quadratic one 16


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def bench_engine():
    from bench.diagnosis import shipped
    from cyberaide.diagnostic import engine

    graph = shipped()
    rng = random.Random(1)
    timings = []
    steps = 0
    started = time.perf_counter()
    while steps < ENGINE_STEPS:
        audience = rng.choice(engine.AUDIENCE_CODES)
        state = engine.start(graph, audience)
        while True:
            step = engine.resolve(graph, state)
            if not isinstance(step, engine.QuestionStep):
                break
            choice = rng.choice(step.choices[:-1])
            t0 = time.perf_counter_ns()
            state = engine.answer(graph, state, step.question.id, choice.code)
            step = engine.resolve(graph, state)
            timings.append(time.perf_counter_ns() - t0)
            steps += 1
    elapsed = time.perf_counter() - started
    return {
        "steps": steps,
        "steps_per_second": steps / elapsed,
        "p50_us": percentile(timings, 0.50) / 1000,
        "p95_us": percentile(timings, 0.95) / 1000,
        "p99_us": percentile(timings, 0.99) / 1000,
    }


def server_env(database_url):
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        RATELIMIT_ENABLED="false",
        DATABASE_URL=database_url,
    )
    return env


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    t0 = time.perf_counter_ns()
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    payload = response.read()
    elapsed = time.perf_counter_ns() - t0
    if response.status >= 400:
        raise RuntimeError(f"{method} {path}: {response.status} {payload[:200]!r}")
    return elapsed, payload


def run_scenario(make_worker, requests=REQUESTS_PER_SCENARIO, threads=CLIENT_THREADS):
    """Run ``threads`` workers until ``requests`` requests are done; return throughput and latency."""
    timings, lock = [], threading.Lock()
    per_thread = requests // threads

    def target():
        conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
        worker = make_worker(conn)
        local = [worker() for _ in range(per_thread)]
        conn.close()
        with lock:
            timings.extend(local)

    workers = [threading.Thread(target=target) for _ in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(timings),
        "rps": len(timings) / elapsed,
        "p50_ms": percentile(timings, 0.50) / 1e6,
        "p95_ms": percentile(timings, 0.95) / 1e6,
        "mean_ms": statistics.mean(timings) / 1e6,
    }


def bare_worker(conn):
    return lambda: request(conn, "GET", "/sante/")[0]


def diagnostic_worker(conn):
    """Each client thread owns a session and answers the first question, then goes back: two engine steps."""
    _, payload = request(conn, "POST", "/api/v1/diagnostic/sessions", {"audience": "particulier"})
    session = json.loads(payload)
    question = session["question"]["id"]
    choice = next(c["code"] for c in session["question"]["choices"] if c["code"] != "je_ne_trouve_pas")
    answered = [False]

    def step():
        if answered[0]:
            elapsed, _ = request(conn, "POST", f"/api/v1/diagnostic/sessions/{session['id']}/back", {})
        else:
            body = {"question": question, "choice": choice}
            elapsed, _ = request(conn, "POST", f"/api/v1/diagnostic/sessions/{session['id']}/answers", body)
        answered[0] = not answered[0]
        return elapsed

    return step


def bench_http(database_url, label):
    env = server_env(database_url)
    manage = [PYTHON, "manage.py"]
    subprocess.run(manage + ["migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(manage + ["collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(manage + ["load_demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    with production_server(env):
        run_scenario(bare_worker)  # warm-up
        bare = run_scenario(bare_worker)
        step = run_scenario(diagnostic_worker)
    return {"label": label, "bare": bare, "step": step}


@contextmanager
def production_server(env):
    """uvicorn with WORKERS processes on HOST:PORT, answering once the bare view does; stopped on exit."""
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            HOST,
            "--port",
            str(PORT),
            "--workers",
            str(WORKERS),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection(HOST, PORT, timeout=2)
                request(conn, "GET", "/sante/")
                break
            except (OSError, RuntimeError):
                time.sleep(0.2)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def local_postgres_url(name="cyberaide_bench", fresh=False):
    """A bench database on the local PostgreSQL when one answers (created if missing, or anew with ``fresh``),
    else None. BENCH_POSTGRES_URL points to another server (its databases are named the same way)."""
    server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    server = server.rsplit("/", 1)[0] if server.count("/") > 2 else server
    import psycopg

    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=2) as db:
            if fresh:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                db.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        print("PostgreSQL is not reachable: the benchmarks run on SQLite only.")
        return None
    return f"{server}/{name}"


def bench_matching(database_url, label, providers):
    """bench/matching.py in its own process (it sets Django up on that database)."""
    env = dict(os.environ, DATABASE_URL=database_url, DEBUG="false", SECRET_KEY=server_env("")["SECRET_KEY"])
    process = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "matching.py"), str(providers)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if process.returncode:
        raise RuntimeError(f"bench/matching.py {providers} on {label} failed:\n{process.stderr}")
    return {"label": label, **json.loads(process.stdout.strip().splitlines()[-1])}


def bench_content(database_url, label):
    """bench/content.py in its own process, on that database."""
    process = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "content.py"), str(CONTENT_COPIES)],
        env=server_env(database_url),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if process.returncode != 0:
        raise RuntimeError(f"bench/content.py on {label} failed:\n{process.stderr}")
    return {"label": label, **json.loads(process.stdout.strip().splitlines()[-1])}


def local_redis_url():
    """The local Redis (BENCH_REDIS_URL, database 1 by default) when one answers, else None."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        print("Redis is not reachable: the 17Cyber benchmark needs it and is skipped.")
        return None
    return url


def bench_chat(database_url, redis_url):
    """bench/chat.py in its own process: it starts the two server processes itself."""
    env = server_env(database_url)
    env.update(REDIS_URL=redis_url, RATELIMIT_ENABLED="true")  # the real limits, as in production
    process = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "chat.py"), str(CHAT_CONVERSATIONS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if process.returncode != 0:
        raise RuntimeError(f"bench/chat.py failed:\n{process.stderr[-4000:]}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def bench_observatory(database_url, label):
    """bench/observatory.py in its own process (load, rollups, publication), then the public dashboard over HTTP
    on the same database against the bare view, both served by the production server in the same run."""
    env = server_env(database_url)
    process = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "observatory.py"), str(OBSERVATORY_RECORDS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,  # its progress goes to stderr, shown as it runs
        text=True,
        timeout=3600,
    )
    if process.returncode != 0:
        raise RuntimeError(f"bench/observatory.py on {label} failed (see above).")
    figures = {"label": label, **json.loads(process.stdout.strip().splitlines()[-1])}
    return bench_dashboard(env, figures)


def bench_dashboard(env, figures):
    """The public dashboard over HTTP on the database bench/observatory.py filled, against the bare view."""
    manage = [PYTHON, "manage.py"]
    subprocess.run(manage + ["collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
    months = figures["months"]
    with production_server(env):
        run_scenario(bare_worker, OBSERVATORY_REQUESTS // 4)  # warm-up
        run_scenario(dashboard_worker(months, {}), OBSERVATORY_REQUESTS // 4)
        figures["bare"] = run_scenario(bare_worker, OBSERVATORY_REQUESTS)
        variants = {}
        figures["dashboard"] = run_scenario(dashboard_worker(months, variants), OBSERVATORY_REQUESTS)
        figures["dashboard_alone"] = run_scenario(
            dashboard_worker(months, {}), OBSERVATORY_SINGLE_CLIENT_REQUESTS, threads=1
        )
    figures["variants"] = {
        name: {
            "requests": len(timings),
            "p50_ms": percentile(timings, 0.50) / 1e6,
            "p95_ms": percentile(timings, 0.95) / 1e6,
        }
        for name, timings in variants.items()
    }
    return figures


def dashboard_worker(months, variants):
    """The public page with its filters in turn: the default (last 12 months, all audiences), a single month,
    one audience (default period), the whole published range. Each request's time is also kept per filter."""
    first, last = months[0], months[-1]
    counter = [0]
    lock = threading.Lock()

    def make(conn):
        with lock:
            offset = counter[0]
            counter[0] += 1
        turn = [offset]

        def visit():
            n = turn[0]
            turn[0] += 1
            name = DASHBOARD_VARIANTS[n % len(DASHBOARD_VARIANTS)]
            if name == "default":
                path = "/observatoire/"
            elif name == "one month":
                month = months[(n // len(DASHBOARD_VARIANTS)) % len(months)]
                path = f"/observatoire/?debut={month}&fin={month}"
            elif name == "one audience":
                audience = OBSERVATORY_AUDIENCES[(n // len(DASHBOARD_VARIANTS)) % len(OBSERVATORY_AUDIENCES)]
                path = f"/observatoire/?public={audience}"
            else:
                path = f"/observatoire/?debut={first}&fin={last}"
            elapsed, _ = request(conn, "GET", path)
            variants.setdefault(name, []).append(elapsed)
            return elapsed

        return visit

    return make


def observatory_main():
    """`python bench/run.py observatory`: this part alone, written into its section of docs/benchmarks.md."""
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    figures = run_observatory(local_postgres_url())
    update_section(OBSERVATORY_HEADING, observatory_report(figures))


def run_observatory(postgres_url):
    databases = [("SQLite", f"sqlite:///{ROOT / 'var' / 'bench' / 'observatory.sqlite3'}")]
    if postgres_url:
        databases.append(("PostgreSQL", local_postgres_url("cyberaide_bench_observatory")))
    results = []
    for label, url in databases:
        figures = bench_observatory(url, label)
        print("observatory", {k: v for k, v in figures.items() if k != "months"})
        results.append(figures)
    return results


def diagnosis_main():
    """`python bench/run.py diagnosis`: this part alone, written into its section of docs/benchmarks.md."""
    update_section(DIAGNOSIS_HEADING, diagnosis_report(run_diagnosis()))


def run_diagnosis():
    figures = run_bench_script("diagnosis.py", [], dict(os.environ), "in-process")
    print("diagnosis", figures)
    return figures


def diagnosis_report(f):
    distribution = ", ".join(f"{count} × {questions}" for questions, count in f["story_distribution"].items())
    met = "met" if f["story_median"] <= DIAGNOSIS_MEDIAN_TARGET else "NOT met"
    return [
        f"{DIAGNOSIS_HEADING}: questions asked, and what the rules cost",
        "",
        f"`bench/diagnosis.py`, in-process, {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} on "
        f"{machine()}. The shipped version holds {f['incidents']} incident types, "
        f"{f['situation_questions']} situation questions and {f['rules']} rules. A question is one page after the "
        "victim has said who they are: those that recognise the incident, then the situation questions.",
        "",
        "| situations | questions: median | mean | max | target |",
        "|---|---|---|---|---|",
        f"| {f['stories']} victims' situations written by the team (`tests/diagnostic/situations_*.yaml`) "
        f"| {f['story_median']:g} | {f['story_mean']:.1f} | {f['story_max']} | median ≤ {DIAGNOSIS_MEDIAN_TARGET}: "
        f"{met} |",
        f"| every situation a journey can end in ({f['situations']:,}: each path and each answer, and from each alert) "
        f"| {f['situation_median']:g} | | {f['situation_max']} | |",
        "",
        f"Questions per victims' situation: {distribution}.",
        "",
        "| measure | time |",
        "|---|---|",
        f"| assessing one situation (severity, services, providers, first actions), p50 / p95 "
        f"| {f['assess_p50_us']:.0f} µs / {f['assess_p95_us']:.0f} µs |",
        f"| checking a whole version before it is saved (parse, every situation walked), best of 5 "
        f"| {f['check_ms']:.0f} ms |",
        f"| comparing a draft with the published version (every situation, both versions), best of 5 "
        f"| {f['compare_ms']:.0f} ms |",
        "",
    ]


def triage_main():
    """`python bench/run.py triage`: this part alone, written into its section of docs/benchmarks.md."""
    update_section(TRIAGE_HEADING, triage_report(run_triage()))


def run_triage():
    figures = run_bench_script("triage.py", [], dict(os.environ), "in-process")
    print("triage", {key: figures[key] for key in ("corpus", "time_ms", "model_mb")})
    return figures


def triage_report(f):
    t = f["targets"]
    cross, apart, messy = f["cross_validation"], f["separate"], f["messy"]

    def row(name, figures, target):
        met = ""
        if target:
            ok = figures["top1"] >= t["top1"] and figures["top3"] >= t["top3"]
            met = f"top-1 ≥ {t['top1']:.0%}, top-3 ≥ {t['top3']:.0%}: {'met' if ok else 'NOT met'}"
        return f"| {name} | {figures['examples']} | {figures['top1']:.1%} | {figures['top3']:.1%} | {met} |"

    def confusions(figures):
        return ", ".join(f"{c['expected']} → {c['suggested']} ({c['count']})" for c in figures["confusions"]) or "none"

    weakest = ", ".join(
        f"{code} {figures['top1']:.0%}"
        for code, figures in sorted(cross["per_incident"].items(), key=lambda item: item[1]["top1"])[:8]
    )
    reliability = " | ".join(
        f"{band['from']:.2f}–{band['to']:.2f}: {band['share']:.0%} of texts, said {band['mean_confidence']:.0%}, "
        f"right {band['right']:.0%}"
        for band in cross["reliability"]
    )
    time_ok = "met" if f["time_ms"]["p95"] < t["p95_ms"] else "NOT met"
    return [
        f"{TRIAGE_HEADING}: how often the right situation is suggested, time and memory",
        "",
        f"`bench/triage.py`, in-process, {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} on {machine()}. "
        f"Corpus: {f['corpus']['examples']:,} descriptions written by the team for {f['corpus']['incidents']} "
        f"incident types ({f['corpus']['stories']:,} stories once near-copies are grouped). A suggestion is right "
        "when it names the incident type the text was written for, among the types of the writer's audience.",
        "",
        "| evaluation | texts | right first (top-1) | among the three shown (top-3) | target |",
        "|---|---|---|---|---|",
        row("cross-validation on the corpus (5 folds, stratified by type, grouped by story)", cross, False),
        row("separate set (`bench/triage_stories.yaml`), model trained on the whole corpus", apart, True),
        row("messy separate set (`bench/triage_stories_messy.yaml`), same model", messy, False),
        "",
        "Both separate sets were written apart from the corpus, by writers given only the list of incident types "
        "(never the corpus); the messy set was asked to read like hurried, vague phone messages. They tell each "
        "situation more plainly than the corpus does (a quarter of the corpus is 3 to 10 words, written to sit near "
        "the neighbouring types), so the cross-validation is the more demanding figure: expect real victims' texts "
        "between the two.",
        "",
        f"Weakest types in cross-validation (top-1): {weakest}.",
        f"Most frequent confusions in cross-validation: {confusions(cross)}. On the separate sets: "
        f"{confusions(apart)}; messy: {confusions(messy)}.",
        "",
        f"How sure it says it is, against how often it is right (cross-validation, first suggestion; the sharpening of the probabilities, `SHARPNESS`, was fitted on this same cross-validation): {reliability}. "
        "Below 0.35 the page says it is not sure and puts the questions forward.",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| time per text (checks, scrubbing, analysis), p50 / p95 / max over {f['time_ms']['texts']:,} analyses "
        f"| {f['time_ms']['p50']:.1f} / {f['time_ms']['p95']:.1f} / {f['time_ms']['max']:.1f} ms "
        f"| p95 < {t['p95_ms']} ms: {time_ok} |",
        f"| time per long paste (up to {f['time_ms']['long_chars_max']:,} characters, the first 2,500 read), p95 "
        f"| {f['time_ms']['long_p95']:.1f} ms | |",
        f"| memory of the model (weights and vocabularies) | {f['model_mb']:.1f} MB | |",
        f"| training on the whole corpus (once per corpus; other processes read it from `TRIAGE_CACHE_DIR`) "
        f"| {f['train_seconds']:.1f} s, peak {f['train_peak_mb']:.0f} MB | |",
        f"| cross-validation (what `train_triage` reports before a model is put in service) "
        f"| {f['cross_validation_seconds']:.0f} s | |",
        "",
    ]


def antiscam_main():
    """`python bench/run.py antiscam`: this part alone, written into its section of docs/benchmarks.md."""
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    figures = run_antiscam(local_postgres_url())
    update_section(ANTISCAM_HEADING, antiscam_report(figures))


def run_antiscam(postgres_url):
    """bench/antiscam.py in its own processes: the in-memory measures once, then the Django ones per database."""
    started = time.perf_counter()
    figures = {"load_average": os.getloadavg()[0], "date": datetime.now().astimezone()}
    figures["inprocess"] = run_bench_script("antiscam.py", ["inprocess"], dict(os.environ), "in-process")
    print("antiscam", figures["inprocess"])
    databases = [("SQLite", f"sqlite:///{ROOT / 'var' / 'bench' / 'antiscam.sqlite3'}")]
    if postgres_url:
        databases.append(("PostgreSQL", local_postgres_url("cyberaide_bench_antiscam")))
    figures["django"] = []
    for label, url in databases:
        entry = run_bench_script("antiscam.py", ["django", str(ANTISCAM_LISTINGS)], server_env(url), label)
        print("antiscam", label, entry)
        figures["django"].append({"label": label, **entry})
    figures["seconds"] = time.perf_counter() - started
    return figures


def run_bench_script(script, arguments, env, label):
    """bench/<script> in its own process; its progress goes to stderr (shown as it runs), its figures are the last
    line of its output."""
    process = subprocess.run(
        [PYTHON, str(ROOT / "bench" / script), *arguments],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        timeout=1800,
    )
    if process.returncode != 0:
        raise RuntimeError(f"bench/{script} {' '.join(arguments)} on {label} failed (see above).")
    return json.loads(process.stdout.strip().splitlines()[-1])


def machine():
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {platform.python_version()}, {platform.platform()}"
    )


def main():
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    engine_figures = bench_engine()
    print("engine", engine_figures)
    diagnosis_figures = run_diagnosis()
    triage_figures = run_triage()
    databases = [("SQLite", f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}")]
    postgres_url = local_postgres_url()
    if postgres_url:
        databases.append(("PostgreSQL", postgres_url))
    http_figures = []
    for label, url in databases:
        figures = bench_http(url, label)
        print(label, figures)
        http_figures.append(figures)
    matching_databases = [("SQLite", lambda n: f"sqlite:///{ROOT / 'var' / 'bench' / f'matching-{n}.sqlite3'}")]
    if postgres_url:
        matching_databases.append(("PostgreSQL", lambda n: local_postgres_url(f"cyberaide_bench_matching_{n}")))
    matching_figures = []
    for label, url_for in matching_databases:
        for providers in MATCHING_SIZES:
            figures = bench_matching(url_for(providers), label, providers)
            print("matching", figures)
            matching_figures.append(figures)
    # The content benchmark measures relevance on the seed pages alone before adding copies: a fresh database each run.
    (ROOT / "var" / "bench" / "content.sqlite3").unlink(missing_ok=True)
    content_databases = [("SQLite", f"sqlite:///{ROOT / 'var' / 'bench' / 'content.sqlite3'}")]
    if postgres_url:
        content_databases.append(("PostgreSQL", local_postgres_url("cyberaide_bench_content", fresh=True)))
    content_figures = []
    for label, url in content_databases:
        figures = bench_content(url, label)
        print("content", figures)
        content_figures.append(figures)
    redis_url = local_redis_url()
    chat_figures = (
        bench_chat(local_postgres_url("cyberaide_bench_chat"), redis_url) if postgres_url and redis_url else None
    )
    print("chat", chat_figures)
    observatory_figures = run_observatory(postgres_url)
    antiscam_figures = run_antiscam(postgres_url)
    write_report(
        engine_figures,
        diagnosis_figures,
        http_figures,
        matching_figures,
        content_figures,
        chat_figures,
        observatory_figures,
        antiscam_figures,
        triage_figures,
    )


def write_report(
    engine_figures,
    diagnosis_figures,
    http_figures,
    matching_figures,
    content_figures,
    chat_figures=None,
    observatory_figures=None,
    antiscam_figures=None,
    triage_figures=None,
):
    lines = [
        "# Benchmarks",
        "",
        "Produced by `make bench` (`bench/run.py`); figures from the last run. Load is sent to 127.0.0.1 only.",
        "",
        f"- Date: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {machine()}",
        f"- Server: uvicorn, {WORKERS} worker processes, `DEBUG=false`; client: {CLIENT_THREADS} keep-alive "
        f"connections from one Python process on the same machine, {REQUESTS_PER_SCENARIO} requests per scenario.",
        "",
        "## Diagnostic engine, in-process",
        "",
        "One step = `answer` then `resolve` on the shipped questionnaire with its situation questions (random walks,",
        "every audience).",
        "",
        "| steps | steps/s | p50 | p95 | p99 | target |",
        "|---|---|---|---|---|---|",
        f"| {engine_figures['steps']:,} | {engine_figures['steps_per_second']:,.0f} | {engine_figures['p50_us']:.1f} µs "
        f"| {engine_figures['p95_us']:.1f} µs | {engine_figures['p99_us']:.1f} µs | p95 < 1 ms: "
        f"{'met' if engine_figures['p95_us'] < 1000 else 'NOT met'} |",
        "",
        *diagnosis_report(diagnosis_figures),
        *(triage_report(triage_figures) if triage_figures else []),
        "## A diagnostic step over HTTP versus a bare Django JSON view",
        "",
        "Bare view: `GET /sante/` (a `JsonResponse`, no query). Diagnostic step: `POST /api/v1/diagnostic/sessions/{id}"
        "/answers` and `…/back` alternately (load the session, lock it, run the engine, save it, answer JSON).",
        "",
        "| database | scenario | requests/s | p50 | p95 | p95 ratio step/bare | throughput ratio bare/step | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for figures in http_figures:
        bare, step = figures["bare"], figures["step"]
        ratio_p95 = step["p95_ms"] / bare["p95_ms"]
        ratio_rps = bare["rps"] / step["rps"]
        lines.append(
            f"| {figures['label']} | bare view | {bare['rps']:,.0f} | {bare['p50_ms']:.2f} ms | {bare['p95_ms']:.2f} ms | | | |"
        )
        lines.append(
            f"| {figures['label']} | diagnostic step | {step['rps']:,.0f} | {step['p50_ms']:.2f} ms | {step['p95_ms']:.2f} ms "
            f"| {ratio_p95:.2f} | {ratio_rps:.2f} | < 2: {'met' if max(ratio_p95, ratio_rps) < 2 else 'NOT met'} |"
        )
    lines += [
        "",
        "Ratios are what matter: both scenarios ran on the same server, in the same run, on the same machine.",
        "The client shares the two cores with the server, so absolute figures are lower than on a dedicated",
        "machine. A step adds four SQL statements to the bare view (read the session, lock it, update it, commit),",
        "request validation and the engine (microseconds, above); the rest is the same ASGI and middleware cost.",
        "",
    ]
    lines += matching_report(matching_figures)
    lines += content_report(content_figures)
    lines += chat_report(chat_figures)
    if observatory_figures:
        lines += observatory_report(observatory_figures)
    if antiscam_figures:
        lines += antiscam_report(antiscam_figures)
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines), encoding="utf-8")
    print("Written to docs/benchmarks.md")


def update_section(heading, section_lines):
    """Replace the section of docs/benchmarks.md that starts with ``heading`` (up to the next section), or add it
    at the end: the other sections keep their figures."""
    path = ROOT / "docs" / "benchmarks.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((n for n, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["", *section_lines]
    else:
        end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), len(lines))
        lines[start:end] = section_lines
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"Section {heading[3:]!r} written to docs/benchmarks.md")


def matching_report(figures):
    lines = [
        "## Matching providers to a victim",
        "",
        "`find_matches` as the result page calls it, in-process, for 400 victims drawn like real ones (place weighted",
        "by population, audience by its share of journeys, the top incident of that audience), after 20 warm-up",
        "queries. Providers generated by `cyberaide/providers/demo.py` (density following population). Two queries",
        "per victim: the candidates (plain SQL on an index of status, latitude and longitude; above 20,000 providers",
        "it searches squares of 30, 120 and 400 km before everywhere), then the few providers shown.",
        "",
        "| database | providers | p50 | p95 | p99 | target (p95) |",
        "|---|---|---|---|---|---|",
    ]
    for entry in figures:
        target = MATCHING_TARGETS_MS[entry["providers"]]
        lines.append(
            f"| {entry['label']} | {entry['providers']:,} | {entry['p50_ms']:.1f} ms | {entry['p95_ms']:.1f} ms "
            f"| {entry['p99_ms']:.1f} ms | < {target} ms: {'met' if entry['p95_ms'] < target else 'NOT met'} |"
        )
    reference = next((e for e in figures if e["providers"] == MATCHING_SIZES[0]), None)
    if reference:
        lines += [
            "",
            f"Coverage with {reference['providers']:,} providers: départements (of {next(iter(reference['coverage'].values()))['departements']}, "
            "overseas included) where a victim in the most populated commune gets at least 3 eligible providers",
            "(covering the place, or offering remote help), and at least 3 who come on site.",
            "",
            "Incidents: account hacking (particulier), ransomware (entreprise, collectivité), phishing (association).",
            "",
            "| audience | ≥ 3 eligible | ≥ 3 on site |",
            "|---|---|---|",
        ]
        for audience, entry in reference["coverage"].items():
            share = lambda n, total=entry["departements"]: f"{n} ({100 * n / total:.0f} %)"  # noqa: E731
            lines.append(f"| {audience} | {share(entry['eligible'])} | {share(entry['on_site'])} |")
    return lines + [""]


def content_report(figures):
    lines = [
        "## Prevention content: search and alert banner",
        "",
        "`bench/content.py`, in-process: the seed pages plus copies of them, about 500 pages in all. Search: 20 "
        'realistic queries ("arnaque colis", "compte facebook piraté"…) 30 times each, as the search page runs '
        "them (the full-text index finds candidates, they are ranked, the matching incident types are added); "
        "baseline: listing a section (one plain query on the same pages). Banner: the active alerts every public "
        "page asks for, from the cache (after publication) and with the cache just cleared.",
        "",
        "| database | pages | search p50 | search p95 | section list p95 | p95 ratio search/list | banner, cached (p95) "
        "| banner, cache cleared (p95) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in figures:
        search, listing = entry["search"], entry["listing"]
        lines.append(
            f"| {entry['label']} | {entry['pages']} | {search['p50']:.1f} ms | {search['p95']:.1f} ms "
            f"| {listing['p95']:.1f} ms | {search['p95'] / listing['p95']:.1f} | {entry['banner_warm_us']:.0f} µs "
            f"| {entry['banner_cold']['p95']:.2f} ms |"
        )
    lines += [
        "",
        "Relevance on the seed content alone: rank of the expected page for the three reference queries.",
        "",
        "| database | " + " | ".join(f"« {query} »" for query in figures[0]["ranks"]) + " |",
        "|---|" + "---|" * len(figures[0]["ranks"]),
    ]
    for entry in figures:
        lines.append(
            f"| {entry['label']} | " + " | ".join(str(rank or "absent") for rank in entry["ranks"].values()) + " |"
        )
    return lines + [""]


def chat_report(figures):
    lines = [
        "## 17Cyber: live chat under load, and with a server process killed",
        "",
    ]
    if figures is None:
        return lines + ["Not measured: PostgreSQL and Redis are needed (two server processes share them).", ""]
    steady = figures["steady"]
    lines += [
        f"`bench/chat.py`: two uvicorn processes (one worker each) on PostgreSQL and Redis, {steady['conversations']} "
        f"conversations claimed by {figures['agents']} agents, each with a victim socket and an agent socket on "
        f"different processes (every message crosses Redis): {steady['sockets']} open WebSockets. Every person sends "
        f"a message every {figures['interval_s']:.0f} s for {figures['rounds']} rounds; the crowd "
        "(`bench/chat_crowd.py`, one Python process on the same machine) behaves like the page: it resumes after the "
        "last number it showed and sends again what was not acknowledged. Round trip: sent by one side → shown by the "
        "other. Baseline: the same servers and crowd with two conversations only (nothing waits for anything else), "
        "in the same run. The last run kills one process (SIGKILL) after two rounds and restarts it two rounds "
        "later; its clients reconnect to the other process.",
        "",
        "| run | sockets | messages | messages/s | round trip p50 | round trip p95 | p95 ratio to baseline "
        "| lost | duplicated | out of order | reconnections | target |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = figures["baseline"]["round_trip_p95_ms"]
    runs = (
        ("baseline", "baseline (2 conversations)"),
        ("steady", "steady"),
        ("one_process_killed", "one process killed and restarted"),
    )
    for name, label in runs:
        run = figures[name]
        met = run["lost"] == 0 and run["duplicated"] == 0 and run["out_of_order"] == 0
        if name == "steady":
            met = met and run["round_trip_p95_ms"] < CHAT_TARGET_P95_MS
        target = f"p95 < {CHAT_TARGET_P95_MS} ms, 0 lost" if name == "steady" else "0 lost or duplicated"
        lines.append(
            f"| {label} | {run['sockets']} | {run['messages']:,} | {run['messages_per_second']:.0f} "
            f"| {run['round_trip_p50_ms']:.1f} ms | {run['round_trip_p95_ms']:.1f} ms "
            f"| {run['round_trip_p95_ms'] / base:.1f} "
            f"| {run['lost']} | {run['duplicated']} | {run['out_of_order']} | {run['reconnections']} "
            f"| {target}: {'met' if met else 'NOT met'} |"
        )
    lines += [
        "",
        "In the last run none is lost: each message was stored before it was announced, and the resume finds it. "
        "The round trip is long because the surviving process carries all the sockets alone (the clients stay "
        "there after the restart, until they reconnect): on these two cores it is saturated and messages wait "
        "seconds. The steady p95 varies between runs on this shared machine (about 95 to 190 ms).",
    ]
    return lines + [""]


def observatory_report(figures):
    def seconds(value):
        return f"{value:.1f} s" if value >= 1 else f"{value * 1000:.0f} ms"

    first = figures[0]
    day = first["rollup_day"]
    lines = [
        f"{OBSERVATORY_HEADING}: {first['records']:,} journeys, rollups and the public dashboard",
        "",
        f"Measured on {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} on the machine above; "
        "`python bench/run.py observatory` runs this part alone and rewrites this section only.",
        "",
        f"`bench/observatory.py`, in-process: {first['records']:,} synthetic finished journeys over "
        f"{first['days']:,} days up to today (about {first['records'] / first['days']:,.0f} a day, with the weekly "
        "and yearly rhythms, the national mix of audiences and incidents, départements by population, entry "
        "channels and follow-ups), written straight into the table with the indexes of the migrations (COPY on "
        "PostgreSQL) and kept for the next runs. The full rebuild (`rollups.rebuild()`) deletes the daily rollups "
        "and counts every finished journey again, in one transaction: the records are grouped by day (Paris time), "
        "incident, audience, département and channel, and each group becomes a `JourneyDay` row. The rollup of one "
        "day (`rollups.rollup_day(day)`) deletes and counts again that day alone, reading its records through the "
        "index on `started_at`; the scheduled `refresh()` does so for each day holding a record changed since its "
        f"last run. Day rollups: {day['days']} ordinary working days spread over the period, one at a time "
        f"({day['journeys_min']:,} to {day['journeys_max']:,} journeys each). Publication: every complete month "
        "computed again from the rollups under statistical secrecy (`publish(republish=True)`). Refresh: "
        f"`refresh()` after {first['refresh']['records_changed']:,} of today's records changed (they led to a "
        "provider request).",
        "",
        "| database | journeys | load | full rebuild | rollup rows | publication | day rollup p50 | day rollup max "
        "| target (day) | refresh |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in figures:
        day = entry["rollup_day"]
        load = seconds(entry["load"]["seconds"]) if entry["load"]["seconds"] is not None else "?"
        if entry["load"]["reused"]:
            load = f"{load} on {entry['load']['on']}, reused" if entry["load"]["on"] else "reused"
        lines.append(
            f"| {entry['label']} | {entry['records']:,} | {load} | {seconds(entry['rebuild_seconds'])} "
            f"| {entry['journey_day_rows']:,} | {seconds(entry['publish_seconds'])} ({entry['published_months']} "
            f"months) | {seconds(day['p50_s'])} | {seconds(day['max_s'])} | < {OBSERVATORY_DAY_TARGET_S} s: "
            f"{'met' if day['max_s'] < OBSERVATORY_DAY_TARGET_S else 'NOT met'} "
            f"| {seconds(entry['refresh']['seconds'])} ({entry['refresh']['days']} day"
            f"{'s' if entry['refresh']['days'] != 1 else ''}) |"
        )
    lines += [
        "",
        f"Public dashboard: `GET /observatoire/` over HTTP, served and loaded as above ({CLIENT_THREADS} "
        f"connections, {OBSERVATORY_REQUESTS:,} requests per scenario), the filters in turn: the default (last 12 "
        "months, all audiences), a single month, one audience (default period), the whole published range "
        f"({len(first['months'])} months). Baseline: the bare view `GET /sante/` in the same run. The page reads "
        f"only the published cells of the period. Last row: the same mix with one connection "
        f"({OBSERVATORY_SINGLE_CLIENT_REQUESTS} requests), the page's own time without waiting behind others.",
        "",
        "| database | scenario | requests/s | p50 | p95 | p95 ratio to bare | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for entry in figures:
        bare, dashboard, alone = entry["bare"], entry["dashboard"], entry["dashboard_alone"]
        met = dashboard["p95_ms"] < OBSERVATORY_DASHBOARD_TARGET_MS
        lines.append(
            f"| {entry['label']} | bare view | {bare['rps']:,.0f} | {bare['p50_ms']:.1f} ms | {bare['p95_ms']:.1f} ms "
            "| | |"
        )
        lines.append(
            f"| {entry['label']} | dashboard, filters mixed | {dashboard['rps']:,.0f} | {dashboard['p50_ms']:.1f} ms "
            f"| {dashboard['p95_ms']:.1f} ms | {dashboard['p95_ms'] / bare['p95_ms']:.1f} "
            f"| p95 < {OBSERVATORY_DASHBOARD_TARGET_MS} ms: {'met' if met else 'NOT met'} |"
        )
        for name in DASHBOARD_VARIANTS:
            variant = entry["variants"].get(name)
            if variant:
                lines.append(
                    f"| {entry['label']} | — {name} | | {variant['p50_ms']:.1f} ms | {variant['p95_ms']:.1f} ms "
                    f"| {variant['p95_ms'] / bare['p95_ms']:.1f} | |"
                )
        lines.append(
            f"| {entry['label']} | dashboard, one connection | {alone['rps']:,.0f} | {alone['p50_ms']:.1f} ms "
            f"| {alone['p95_ms']:.1f} ms | | |"
        )
    lines += [
        "",
        "The figures of a period and audience change only when a month is published: each worker draws them once "
        "(cells read, charts and tables rendered: about 10 to 40 ms of server time) and keeps them in the cache "
        "until the next publication, so a page mostly costs its layout and its alert banner. Earlier runs without "
        "that cache measured a p95 of 390 to 600 ms: each page cost the server about five bare views.",
    ]
    missed = any(entry["dashboard"]["p95_ms"] >= OBSERVATORY_DASHBOARD_TARGET_MS for entry in figures)
    alone_fast = all(entry["dashboard_alone"]["p95_ms"] < OBSERVATORY_DASHBOARD_TARGET_MS for entry in figures)
    if missed:
        lines += [
            "",
            (
                "The target is missed although the page alone answers within it (last rows): each page costs the "
                "server far more than the bare view. "
                if alone_fast
                else "The target is missed, and the page is slow even alone (last rows). "
            )
            + f"The {WORKERS} workers serve "
            + " and ".join(
                f"{entry['dashboard']['rps']:,.0f} pages/s on {entry['label']} ({entry['bare']['rps']:,.0f} bare views)"
                for entry in figures
            )
            + f", and with {CLIENT_THREADS} connections a request mostly waits behind the others.",
        ]
    return lines + [""]


def antiscam_report(figures):
    def us(value):
        return f"{value / 1000:.1f} ms" if value >= 1000 else f"{value:.1f} µs"

    def ms(value_us):
        return f"{value_us / 1e6:.2f} s" if value_us >= 1e6 else f"{value_us / 1000:.1f} ms"

    def mb(value):
        return f"{value / 1e6:.1f} MB"

    def met(condition):
        return "met" if condition else "NOT met"

    index, extraction, look = (figures["inprocess"][key] for key in ("index", "extraction", "lookalike"))
    memory, download = index["memory"], index["download"]
    lookup, baseline, step, lookup_cpu = index["lookup"], index["set"], index["client_step"], index["lookup_cpu"]
    lines = [
        f"{ANTISCAM_HEADING}: the browsers' list, extraction from messages, the look-alike rule",
        "",
        f"Measured on {figures['date'].strftime('%Y-%m-%d %H:%M %Z')} on {machine()}, in "
        f"{figures['seconds']:.0f} s. The machine is shared: its load average was {figures['load_average']:.1f} "
        "on its 2 cores when the part started, so the wall-clock tails (p99, max) include waiting for a core; "
        "the ratios compare measures taken in the same loop. `python bench/run.py antiscam` runs this part alone and "
        "rewrites this section only.",
        "",
        f"### The list in memory: {index['size']:,} hashes",
        "",
        f"`bench/antiscam.py inprocess`, pure Python in its own process (no Django). A `HashIndex` of "
        f"{index['size'] - index['listed_sites']:,} random 32-byte hashes (fixed seed) and the SHA-256 of "
        f"{index['listed_sites']} listed sites (the `name.tld/` expression of one generated address in 100). "
        f"{index['requests']:,} generated addresses (http or https, zero to two subdomains, one to three words "
        "and a top-level domain, up to five path segments, a query in 40 % of them, tracking parameters, capitals "
        f"and escapes now and then) give {index['expressions_per_url']:.1f} expressions each on average "
        "(`url_expressions(canonical_url(u))`); one request is the 4-byte prefixes of one address's expressions, "
        f"passed to `index.lookup` ({index['requests_with_match']:,} requests found a listed hash). Baseline, in the "
        "same loop: the same prefixes tested against a Python `set` of the list's prefixes (what a client holds "
        "after its download). The client step is the whole work for one address: canonicalise, expressions, "
        "SHA-256, lookup, with the memo caches of `canonical` emptied before each address.",
        "",
        "| measure | figure | baseline in the same run | ratio | target |",
        "|---|---|---|---|---|",
        f"| lookup, one request: p50 / p95 / p99 | {us(lookup['p50_us'])} / {us(lookup['p95_us'])} / "
        f"{us(lookup['p99_us'])} | set: {us(baseline['p50_us'])} / {us(baseline['p95_us'])} / "
        f"{us(baseline['p99_us'])} | p95 ×{lookup['p95_us'] / baseline['p95_us']:.1f} "
        f"| p95 < {ANTISCAM_LOOKUP_TARGET_MS} ms: {met(lookup['p95_us'] < ANTISCAM_LOOKUP_TARGET_MS * 1000)} |",
        f"| lookup, CPU time of one request: p95 / p99 | {us(lookup_cpu['p95_us'])} / {us(lookup_cpu['p99_us'])} "
        "| | | |",
        f"| client step, one address: p50 / p95 / p99 | {us(step['p50_us'])} / {us(step['p95_us'])} / "
        f"{us(step['p99_us'])} | lookup alone (p95) | ×{step['p95_us'] / lookup['p95_us']:.1f} | |",
        f"| build from {index['size']:,} (hash, id) pairs | {index['build_s']:.1f} s ({index['build_cpu_s']:.1f} s "
        "of CPU) | | | |",
        f"| memory of the index (`nbytes`) | {mb(memory['nbytes'])} | raw hashes: {mb(memory['raw_bytes'])}; "
        f"the set of prefixes: {mb(index['set_bytes'])} | ×{memory['nbytes'] / memory['raw_bytes']:.2f} of raw "
        f"| < {ANTISCAM_INDEX_TARGET_MB} MB: {met(memory['nbytes'] < ANTISCAM_INDEX_TARGET_MB * 1e6)} |",
        f"| process RSS, after the build (inputs freed) / peak during it | +{memory['rss_growth_mib']:.0f} MiB / "
        f"+{memory['peak_rss_growth_mib']:.0f} MiB | raw hashes: {memory['raw_bytes'] / 2**20:.0f} MiB "
        f"| ×{memory['rss_growth_mib'] * 2**20 / memory['raw_bytes']:.2f} / "
        f"×{memory['peak_rss_growth_mib'] * 2**20 / memory['raw_bytes']:.1f} | |",
        f"| full prefix download ({download['distinct_prefixes']:,} distinct prefixes) | "
        f"{mb(download['binary_bytes'])} as bytes; {mb(download['json_bytes'])} as the API's JSON hex "
        f"({mb(download['json_gzip_bytes'])} gzipped) | | JSON ×{download['json_bytes'] / download['binary_bytes']:.1f}"
        " of bytes | |",
        f"| computing that download once per version: `index.prefix_blob()` + checksum | {download['prefixes_s']:.1f} s + "
        f"{download['checksum_s']:.1f} s | | | |",
        "",
    ]
    django = figures["django"]
    if django:
        listings = django[0]["listings"]
        lines += [
            f"### Through Django: {listings:,} listings",
            "",
            f"`bench/antiscam.py django {listings}` on each database: {listings:,} active listings (one in five a "
            "page, the others whole sites) with their `Indicator` rows and one `FilterChange`, written with "
            "`bulk_create` rather than through `services` (which journals and checks each listing: far too slow "
            "for a benchmark), and kept for the next runs. `build_index()`: the best and worst of three. "
            f"`matches()`: {django[0]['matches']['count']:,} requests in-process, each the prefixes of one "
            "generated address, one in ten on a listed site (a match also reads the listing). The API: "
            f"`GET /api/v1/filter/matches?prefix=…` through Django's test client, {django[0]['api']['count']:,} "
            "requests, each with one listed prefix (a browser asks only after a local match), alternating with the "
            "bare view `GET /sante/` as the baseline; then `GET /api/v1/filter/list`, the whole list (`since=0`) "
            "and an update with nothing new (`since` = the current version), three times each.",
            "",
            "| database | listings written | `build_index()` | `matches()` p50 / p95 | with a match p50 / p95 "
            "| API `/matches` p50 / p95 | bare view p50 / p95 | p95 ratio API/bare | `/list` whole (size) "
            "| `/list` nothing new |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for entry in django:
            build, matches, hits = entry["build_index_ms"], entry["matches"], entry["matches_hits"]
            api, bare = entry["api"], entry["bare"]
            load = entry["load"]
            written = "kept from an earlier run" if load["reused"] else f"{load['seconds']:.0f} s, in this run"
            lines.append(
                f"| {entry['label']} | {written} | {build['min'] / 1000:.2f} – {build['max'] / 1000:.2f} s "
                f"| {us(matches['p50_us'])} / {us(matches['p95_us'])} "
                f"| {us(hits['p50_us'])} / {us(hits['p95_us'])} ({entry['matches_hit_count']}) "
                f"| {us(api['p50_us'])} / {us(api['p95_us'])} | {us(bare['p50_us'])} / {us(bare['p95_us'])} "
                f"| {api['p95_us'] / bare['p95_us']:.1f} | {ms(entry['list_full']['p50_us'])} "
                f"({mb(entry['list_full_bytes'])}) | {ms(entry['list_delta']['p50_us'])} |"
            )
        lines += [
            "",
            "The p95 through Django varies between runs on this shared machine: over six runs on 2026-11-30 the API "
            "answered in 12 to 24 ms at p95 on SQLite and 18 to 37 ms on PostgreSQL, the bare view in 5 to 7 ms.",
            "",
        ]
    cold, warm, findall = extraction["cold"], extraction["warm"], extraction["findall"]
    lines += [
        "### Extraction of indicators from messages",
        "",
        f"`extract.extract_indicators` on the {extraction['messages']} messages of "
        f"`tests/antiscam/data/messages.yaml` ({extraction['corpus_bytes'] / 1000:.1f} kB of real-looking French "
        f"SMS and e-mails, {extraction['indicators_found']} indicators found), {extraction['passes']} passes: "
        "with the memo caches emptied before each message (every address, number and IBAN read afresh), and warm "
        "(the same messages again: the same scam reaches many people). Baseline in the same run: "
        r'`re.findall(r"https?://\S+", text)` on the same messages.',
        "",
        "| run | messages/s | MB/s | p50 | p95 | p99 | p95 ratio to `re.findall` |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, entry in (("caches emptied", cold), ("warm", warm), ("`re.findall` (baseline)", findall)):
        lines.append(
            f"| {label} | {entry['messages_per_s']:,.0f} | {entry['mb_per_s']:.2f} | {us(entry['p50_us'])} "
            f"| {us(entry['p95_us'])} | {us(entry['p99_us'])} | {entry['p95_us'] / findall['p95_us']:,.0f} |"
        )
    short_chars, chars = extraction["adversarial_chars"]
    adversarial = extraction["adversarial"]
    worst = max(adversarial.values(), key=lambda entry: entry["full_ms"])
    ratios = [entry["ratio"] for entry in adversarial.values()]
    linear = max(ratios) < ANTISCAM_LINEAR_RATIO
    lines += [
        "",
        f"Adversarial pastes: one unit repeated up to {short_chars:,} and {chars:,} characters (the longest text "
        "accepted), and a random mix of the units. CPU time of one call, the best of seven rounds (the two lengths "
        "taking turns), caches emptied and the garbage collector paused: a linear scanner takes four times as long "
        "for four times the text (less when a fixed cost per call weighs), a quadratic one sixteen times (target: "
        f"a ratio under {ANTISCAM_LINEAR_RATIO}).",
        "",
        f"| repeated unit | {short_chars:,} chars | {chars:,} chars | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for name, entry in adversarial.items():
        shown = "random mix of the units" if name == "mixed" else f"`{name}`"
        lines.append(
            f"| {shown} | {entry['short_ms']:.2f} ms | {entry['full_ms']:.2f} ms | {entry['ratio']:.2f} "
            f"| < {ANTISCAM_LINEAR_RATIO}: {met(entry['ratio'] < ANTISCAM_LINEAR_RATIO)} |"
        )
    per_host = look["per_host"]
    lines += [
        "",
        "### The look-alike rule on its labelled hosts",
        "",
        f"`lookalike.evaluate_labelled` on `tests/antiscam/data/lookalike_labelled.csv` ({look['hosts']} hosts "
        "labelled by hand, look-alikes of the protected brands and legitimate hosts, some of them close to a brand). "
        "Time per host: one call each, caches emptied once before the first.",
        "",
        "| hosts | true positives | false positives | true negatives | false negatives | precision | recall "
        "| false positive rate | per host p50 / p95 / max |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {look['hosts']} | {look['tp']} | {look['fp']} | {look['tn']} | {look['fn']} "
        f"| {look['precision'] * 100:.1f} % | {look['recall'] * 100:.1f} % "
        f"| {look['false_positive_rate'] * 100:.1f} % | {us(per_host['p50_us'])} / "
        f"{us(per_host['p95_us'])} / {us(per_host['max_us'])} |",
        "",
        "False positives (legitimate hosts reported): "
        + (", ".join(f"`{host}`" for host in look["false_positives"]) or "none")
        + ". False negatives (look-alikes not seen): "
        + (", ".join(f"`{host}`" for host in look["false_negatives"]) or "none")
        + ".",
        "",
        "### What the figures mean",
        "",
        f"A lookup in the list of {index['size']:,} costs tens of microseconds (p95 {us(lookup['p95_us'])}, "
        f"the target is {ANTISCAM_LOOKUP_TARGET_MS} ms): a binary search in two flat arrays, "
        f"×{lookup['p95_us'] / baseline['p95_us']:.0f} the Python set at p95, for "
        f"{mb(memory['nbytes'])} instead of {mb(index['set_bytes'])} for the set of prefixes alone (without the "
        "full hashes and listing ids the index also holds). The whole client step for one address, canonicalising "
        f"and hashing included, stays under a millisecond (p95 {us(step['p95_us'])}). Through Django each call "
        "also reads the journal's version, and a match reads its listing: the API answers one prefix in "
        + " and ".join(
            f"{us(entry['api']['p95_us'])} at p95 on {entry['label']} "
            f"(×{entry['api']['p95_us'] / entry['bare']['p95_us']:.1f} the bare view)"
            for entry in django
        )
        + ". What costs is the list as a whole. Building the index takes "
        f"{index['build_s']:.0f} s for {index['size']:,} hashes here ({index['build_cpu_s']:.0f} s of CPU), and "
        f"`build_index()` {django[0]['build_index_ms']['min'] / 1000:.1f} s for {django[0]['listings']:,} listings "
        "read from the database. Each process builds it, with the prefixes clients download and their checksum "
        f"({download['prefixes_s'] + download['checksum_s']:.1f} s more for {index['size']:,}), once per version "
        "of the journal, in the request that first sees that version; meanwhile its other requests answer from "
        "the previous version, so a change reaches lookups a moment later and nobody waits. `GET "
        f"/api/v1/filter/list` with nothing new then costs {ms(django[0]['list_delta']['p50_us'])} for "
        f"{django[0]['listings']:,} listings. "
        f"Extraction reads {cold['messages_per_s']:,.0f} messages/s with every indicator read afresh "
        f"(×{cold['p95_us'] / findall['p95_us']:,.0f} a bare `re.findall` at p95: it canonicalises and "
        f"validates what it finds) and "
        + ("stays linear on adversarial pastes" if linear else "is not linear on every adversarial paste (table)")
        + f": the worst {chars:,}-character one takes {worst['full_ms']:.0f} ms of CPU, and four times the text "
        f"takes {min(ratios):.1f} to {max(ratios):.1f} times as long."
        + f" The look-alike rule flags {look['tp']} of the {look['tp'] + look['fn']} labelled look-alikes "
        f"and {look['fp']} of the {look['fp'] + look['tn']} legitimate hosts.",
        "",
    ]
    return lines


if __name__ == "__main__":
    if sys.argv[1:] == ["observatory"]:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        observatory_main()
    elif sys.argv[1:] == ["antiscam"]:
        antiscam_main()
    elif sys.argv[1:] == ["diagnosis"]:
        diagnosis_main()
    elif sys.argv[1:] == ["triage"]:
        triage_main()
    else:
        main()
