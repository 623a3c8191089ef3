"""The 17Cyber WebSockets, through the real ASGI application and channel layer: order, resend, resume,
permissions, malformed input and floods."""

import json
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings

from config.asgi import application
from cyberaide.chat import services
from cyberaide.chat.models import Message

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://127.0.0.1")
SOME_ID = "6f1c2a43-8d0e-4b8a-9a51-0c1f3e2d4b7a"  # fixed: test ids must be the same in every xdist worker


def cookie_headers(client):
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"cookie", cookie.encode()), ORIGIN]


async def connect(path, headers=(ORIGIN,)):
    communicator = WebsocketCommunicator(application, path, headers=list(headers))
    connected, code = await communicator.connect()
    return communicator, connected, code


def victim_path(token):
    return f"/ws/17cyber/discussion/{token}/"


def agent_path(conversation):
    return f"/ws/17cyber/agent/{conversation.reference}/"


async def receive_until(communicator, kind):
    """The next frame of ``kind``, skipping the others (status updates arrive when the queue moves)."""
    while True:
        frame = await communicator.receive_json_from(timeout=3)
        if frame["type"] == kind:
            return frame


async def say(communicator, body, client_id=None):
    client_id = client_id or str(uuid.uuid4())
    await communicator.send_json_to({"type": "message", "client_id": client_id, "body": body})
    return client_id


@pytest.fixture
def claimed(open_chat, make_agent, client, verified_login):
    """A conversation claimed by an agent signed in with both factors on ``client``."""
    conversation, token = open_chat()
    agent = make_agent(name="Brigadier Diallo")
    services.claim(conversation, agent=agent)
    verified_login(client, agent.user)
    return conversation, token, agent


def test_messages_arrive_in_order_on_both_sides(claimed, client):
    conversation, token, _ = claimed

    async def scenario():
        victim, ok, _ = await connect(victim_path(token))
        agent, ok2, _ = await connect(agent_path(conversation), cookie_headers(client))
        assert ok and ok2
        sent = [await say(victim, f"message {n}") for n in range(5)]
        acks = [await receive_until(victim, "ack") for _ in sent]
        assert [a["client_id"] for a in acks] == sent
        seqs = [a["seq"] for a in acks]
        assert seqs == sorted(seqs) and len(set(seqs)) == 5
        received = [(await receive_until(agent, "message"))["message"] for _ in sent]
        assert [m["body"] for m in received] == [f"message {n}" for n in range(5)]
        assert [m["seq"] for m in received] == seqs
        await say(agent, "Débranchez le câble réseau.")
        reply = (await receive_until(victim, "message"))["message"]
        while reply["author"] != "agent":
            reply = (await receive_until(victim, "message"))["message"]
        assert reply == {**reply, "author": "agent", "name": "Brigadier Diallo", "body": "Débranchez le câble réseau."}
        await victim.disconnect()
        await agent.disconnect()

    async_to_sync(scenario)()


def test_a_resend_is_acknowledged_again_and_delivered_once(claimed, client):
    conversation, token, _ = claimed

    async def scenario():
        victim, _, _ = await connect(victim_path(token))
        agent, _, _ = await connect(agent_path(conversation), cookie_headers(client))
        client_id = await say(victim, "Ils demandent 2 bitcoins")
        first = await receive_until(victim, "ack")
        await say(victim, "Ils demandent 2 bitcoins", client_id)
        second = await receive_until(victim, "ack")
        assert first["seq"] == second["seq"]
        assert (await receive_until(agent, "message"))["message"]["client_id"] == client_id
        assert await agent.receive_nothing(timeout=0.3)
        await victim.disconnect()
        await agent.disconnect()

    async_to_sync(scenario)()
    assert Message.objects.filter(conversation=conversation, author="victim").count() == 1


def test_a_reconnecting_client_gets_everything_after_the_last_message_it_saw(claimed, client):
    conversation, token, agent_row = claimed

    async def scenario():
        victim, _, _ = await connect(victim_path(token))
        await victim.send_json_to({"type": "resume", "after": 0})
        sync = await receive_until(victim, "sync")
        last_seen = sync["messages"][-1]["seq"]
        assert sync["status"]["status"] == "active" and sync["status"]["agent_name"] == "Brigadier Diallo"
        await victim.disconnect()
        # While the victim is away, the agent writes twice.
        for body in ("Êtes-vous toujours là ?", "Ne payez pas la rançon."):
            await sync_to_async(services.post_message)(
                conversation, author="agent", agent=agent_row, body=body, client_id=uuid.uuid4()
            )
        victim, _, _ = await connect(victim_path(token))
        await victim.send_json_to({"type": "resume", "after": last_seen})
        sync = await receive_until(victim, "sync")
        assert [m["body"] for m in sync["messages"]] == ["Êtes-vous toujours là ?", "Ne payez pas la rançon."]
        assert sync["messages"][0]["seq"] == last_seen + 1
        await victim.disconnect()

    async_to_sync(scenario)()


def test_only_the_holder_and_the_token_open_a_conversation(claimed, client, make_agent, verified_login, open_chat):
    conversation, token, _ = claimed
    colleague = make_agent()
    other_client = client.__class__()
    verified_login(other_client, colleague.user)
    without_2fa = client.__class__()
    without_2fa.force_login(make_agent().user)
    other_conversation, other_token = open_chat()

    async def scenario():
        refused = [
            (victim_path("not-a-token"), [ORIGIN]),
            (victim_path(token[:-1]), [ORIGIN]),
            (agent_path(conversation), [ORIGIN]),  # anonymous
            (agent_path(conversation), cookie_headers(other_client)),  # an agent who does not hold it
            (agent_path(conversation), cookie_headers(without_2fa)),  # no second factor
            (agent_path(other_conversation), cookie_headers(client)),  # waiting, not claimed by anyone
            (victim_path(token), [(b"origin", b"https://pirate.example")]),  # cross-site
        ]
        for path, headers in refused:
            communicator, connected, _ = await connect(path, headers)
            assert not connected, path
            await communicator.disconnect()
        # A victim's socket only ever carries their own conversation.
        mine, _, _ = await connect(victim_path(other_token))
        await sync_to_async(services.post_message)(
            conversation, author="victim", body="secret", client_id=uuid.uuid4()
        )
        assert await mine.receive_nothing(timeout=0.3)
        await mine.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("pas du json", "malformed"),
        (json.dumps([1, 2]), "malformed"),
        (json.dumps({"type": "explose"}), "malformed"),
        (json.dumps({"type": "resume", "after": "dix"}), "malformed"),
        (json.dumps({"type": "resume", "after": -1}), "malformed"),
        (json.dumps({"type": "message", "client_id": SOME_ID, "body": ""}), "refused"),
        (json.dumps({"type": "message", "client_id": SOME_ID, "body": "x" * 2001}), "refused"),
        (json.dumps({"type": "message", "client_id": "pas-un-uuid", "body": "bonjour"}), "refused"),
        (json.dumps({"type": "message", "client_id": SOME_ID, "body": {"html": 1}}), "refused"),
        ("x" * 20_000, "malformed"),
    ],
)
def test_malformed_frames_are_refused_and_the_connection_stays_usable(open_chat, frame, code):
    conversation, token = open_chat()

    async def scenario():
        victim, _, _ = await connect(victim_path(token))
        await victim.send_to(text_data=frame)
        error = await receive_until(victim, "error")
        assert error["code"] == code and error["message"]
        await say(victim, "toujours là")
        assert (await receive_until(victim, "ack"))["seq"] == 2
        await victim.disconnect()

    async_to_sync(scenario)()
    assert list(Message.objects.filter(conversation=conversation).values_list("body", flat=True))[1:] == [
        "toujours là"
    ]


def test_a_flood_from_one_client_is_cut_and_others_are_not_disturbed(open_chat, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_CHAT_MESSAGE = "3/60"
    flooded, flood_token = open_chat()
    calm, calm_token = open_chat()

    async def scenario():
        flooder, _, _ = await connect(victim_path(flood_token))
        for n in range(3):
            await say(flooder, f"spam {n}")
            await receive_until(flooder, "ack")
        await say(flooder, "spam 4")
        assert (await receive_until(flooder, "error"))["code"] == "rate_limited"
        neighbour, _, _ = await connect(victim_path(calm_token))
        await say(neighbour, "Bonjour")
        assert (await receive_until(neighbour, "ack"))["seq"] == 2
        await flooder.disconnect()
        await neighbour.disconnect()

    async_to_sync(scenario)()
    assert flooded.messages.filter(author="victim").count() == 3


def test_the_console_hears_of_a_new_chat_in_its_queue_only(open_chat, make_agent, client, verified_login):
    policier = make_agent()
    gendarme_client = client.__class__()
    verified_login(client, policier.user)
    verified_login(gendarme_client, make_agent(force="gendarmerie").user)

    async def scenario():
        police_console, ok, _ = await connect("/ws/17cyber/agent/", cookie_headers(client))
        gendarmerie_console, ok2, _ = await connect("/ws/17cyber/agent/", cookie_headers(gendarme_client))
        assert ok and ok2
        await sync_to_async(open_chat)("35000")
        assert await police_console.receive_json_from(timeout=3) == {"type": "console.changed"}
        assert await gendarmerie_console.receive_nothing(timeout=0.3)
        await police_console.disconnect()
        await gendarmerie_console.disconnect()

    async_to_sync(scenario)()


def test_the_console_refuses_whoever_is_not_an_agent_with_both_factors(client, verified_login, make_agent):
    from cyberaide.accounts.models import User

    verified_login(client, User.objects.create_user("curieux@example.org", password="x"))
    no_2fa = client.__class__()
    no_2fa.force_login(make_agent().user)

    async def scenario():
        for headers in (cookie_headers(client), cookie_headers(no_2fa), [ORIGIN]):
            communicator, connected, code = await connect("/ws/17cyber/agent/", headers)
            assert not connected
            await communicator.disconnect()

    async_to_sync(scenario)()


def test_an_agent_who_hands_the_chat_back_is_cut_off_from_it(claimed, client):
    conversation, token, agent_row = claimed

    async def scenario():
        agent, connected, _ = await connect(agent_path(conversation), cookie_headers(client))
        assert connected
        await sync_to_async(services.transfer_to_queue)(conversation, agent=agent_row, force="police")
        status = await receive_until(agent, "status")
        while status["status"].get("holder") is not False:
            status = await receive_until(agent, "status")
        assert (await agent.receive_output(timeout=3))["type"] == "websocket.close"
        await sync_to_async(services.post_message)(
            conversation, author="victim", body="message privé", client_id=uuid.uuid4()
        )
        await agent.disconnect()

    async_to_sync(scenario)()


def test_a_resend_after_a_cut_is_not_counted_against_the_limit(open_chat, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_CHAT_MESSAGE = "2/60"
    conversation, token = open_chat()

    async def scenario():
        victim, _, _ = await connect(victim_path(token))
        ids = [await say(victim, f"message {n}") for n in range(2)]
        for _ in ids:
            await receive_until(victim, "ack")
        for client_id in ids:  # the page comes back after a cut and sends both again
            await say(victim, f"message {ids.index(client_id)}", client_id)
            assert (await receive_until(victim, "ack"))["client_id"] == client_id
        await victim.disconnect()

    async_to_sync(scenario)()
