"""Two server processes behind the same Redis and PostgreSQL; one is killed in the middle of the conversations.
Every message still reaches the other side exactly once and in order (PostgreSQL and Redis lane of CI only)."""

import asyncio

import pytest
from django.conf import settings
from django.db import connection

from bench.chat_crowd import Stats, converse, crash_plan, free_port, pair, start_server, stop
from cyberaide.chat import services
from cyberaide.chat.models import Message

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs the PostgreSQL and Redis that several processes share",
    ),
]


def test_no_message_is_lost_or_duplicated_when_a_server_process_dies(open_chat, make_agent, client, verified_login):
    agent = make_agent(name="Brigadier Diallo")
    conversations = [open_chat() for _ in range(6)]
    for conversation, _ in conversations:
        services.claim(conversation, agent=agent)
    verified_login(client, agent.user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    db = connection.settings_dict
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "true",
    }
    ports = [free_port(), free_port()]
    servers = [start_server(port, env) for port in ports]
    urls = [f"ws://127.0.0.1:{port}" for port in ports]
    try:
        stats = Stats()
        clients = []
        for conversation, token in conversations:
            victim, agent_client = pair(stats, token, conversation.reference, cookie, "http://127.0.0.1")
            agent_client.server_index = 1  # victims on the first process, agents on the second
            clients += [victim, agent_client]

        during = crash_plan(servers, ports, env, kill_at=3, restart_at=6)
        outcome = asyncio.run(converse(clients, urls, rounds=10, interval=0.6, during=during, settle=2))
    finally:
        for server in servers:
            stop(server)

    assert outcome.messages == 120
    assert (outcome.lost, outcome.duplicated, outcome.out_of_order) == (0, 0, 0)
    assert outcome.reconnections >= 6  # every victim lost its process and came back elsewhere
    for conversation, _ in conversations:
        seqs = list(Message.objects.filter(conversation=conversation).values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
    sent = {client_id for c in clients for client_id in c.own}
    stored = list(Message.objects.filter(client_id__in=sent).values_list("client_id", flat=True))
    assert sorted(stored) == sorted(sent)
