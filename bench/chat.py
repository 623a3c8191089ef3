"""17Cyber load and fault benchmark, run by `bench/run.py`: `python bench/chat.py CONVERSATIONS`.

Two uvicorn processes share PostgreSQL (DATABASE_URL) and Redis (REDIS_URL). CONVERSATIONS conversations are
opened and claimed by agents; each has a victim socket and an agent socket, on different processes, so every
message crosses Redis. Every client sends a message every INTERVAL seconds for ROUNDS rounds. Then the same
again while one process is killed (SIGKILL) and restarted. Prints one JSON line with, per run: sockets held,
messages, messages per second, round-trip p50/p95 (sent by one side → shown by the other), lost, duplicated,
out of order, reconnections. Traffic goes to 127.0.0.1 only.
"""

import asyncio
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.chat_crowd import Stats, converse, crash_plan, free_port, pair, start_server, stop  # noqa: E402
from cyberaide.accounts.models import User  # noqa: E402
from cyberaide.chat import services  # noqa: E402
from cyberaide.chat.models import Agent, Conversation  # noqa: E402
from cyberaide.core import communes  # noqa: E402
from cyberaide.diagnostic.graphs import load_default_graph  # noqa: E402
from cyberaide.diagnostic.models import DiagnosticResult  # noqa: E402
from cyberaide.diagnostic.services import create_result  # noqa: E402
from cyberaide.diagnostic.taxonomy import load_taxonomy  # noqa: E402

AGENTS = 50
ROUNDS = 6
INTERVAL = 10.0  # seconds between two messages of one person: a brisk written conversation


def agent_cookie(user) -> str:
    """A session that passed both factors, as the sign-in page would leave it."""
    device = TOTPDevice.objects.create(user=user, name="banc", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def prepare(conversations: int) -> list[tuple[str, str, str]]:
    call_command("migrate", "--noinput", verbosity=0)
    load_taxonomy()
    load_default_graph()
    Conversation.objects.all().delete()
    User.objects.filter(username__startswith="banc-agent-").delete()
    DiagnosticResult.objects.filter(graph_version=0).delete()
    rennes = communes.communes_for_postcode("35000")[0]
    agents = []
    for number in range(AGENTS):
        user = User.objects.create_user(f"banc-agent-{number}", password=None)
        agent = Agent.objects.create(user=user, force="police", display_name=f"Agent {number}")
        services.set_on_duty(agent, True)
        agents.append((agent, agent_cookie(user)))
    pairs = []
    for number in range(conversations):
        result = create_result(audience="entreprise", incident_code="ransomware", graph_version=0)
        conversation, token = services.open_conversation(result=result, commune=rennes)
        agent, cookie = agents[number % AGENTS]
        services.claim(conversation, agent=agent)
        pairs.append((token, conversation.reference, cookie))
    return pairs


def summary(outcome) -> dict:
    trips = sorted(outcome.round_trips_ms)
    return {
        "conversations": outcome.conversations,
        "sockets": outcome.sockets,
        "messages": outcome.messages,
        "seconds": round(outcome.seconds, 1),
        "messages_per_second": round(outcome.messages / outcome.seconds, 1),
        "round_trip_p50_ms": round(statistics.median(trips), 1) if trips else None,
        "round_trip_p95_ms": round(trips[int(0.95 * (len(trips) - 1))], 1) if trips else None,
        "resume_p95_ms": round(sorted(outcome.resume_ms)[int(0.95 * (len(outcome.resume_ms) - 1))], 1)
        if outcome.resume_ms
        else None,
        "lost": outcome.lost,
        "duplicated": outcome.duplicated,
        "out_of_order": outcome.out_of_order,
        "reconnections": outcome.reconnections,
    }


def crowd(pairs) -> list:
    stats = Stats()
    clients = []
    for index, (token, reference, cookie) in enumerate(pairs):
        victim, agent = pair(stats, token, reference, cookie, "http://127.0.0.1")
        victim.server_index, agent.server_index = index % 2, (index + 1) % 2
        clients += [victim, agent]
    return clients


# The baseline: the same servers and clients with two conversations only, so nothing waits for anything else.
BASELINE_CONVERSATIONS = 2


def main(conversations: int):
    ports = [free_port(), free_port()]
    env = {"DJANGO_SETTINGS_MODULE": "config.settings"}
    urls = [f"ws://127.0.0.1:{port}" for port in ports]
    results = {}
    for run in ("baseline", "steady", "one_process_killed"):
        pairs = prepare(BASELINE_CONVERSATIONS if run == "baseline" else conversations)
        servers = [start_server(port, env) for port in ports]
        try:
            during = crash_plan(servers, ports, env, kill_at=2, restart_at=4) if run == "one_process_killed" else None

            started = time.monotonic()
            # The baseline stays under the per-conversation rate limit (20 messages in 30 seconds).
            interval = 2.0 if run == "baseline" else INTERVAL
            rounds = 20 if run == "baseline" else ROUNDS
            outcome = asyncio.run(converse(crowd(pairs), urls, rounds=rounds, interval=interval, during=during))
            results[run] = summary(outcome) | {"wall_seconds": round(time.monotonic() - started, 1)}
        finally:
            for server in servers:
                stop(server)
        print(run, results[run], file=sys.stderr)
    print(json.dumps({"rounds": ROUNDS, "interval_s": INTERVAL, "agents": AGENTS, **results}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
