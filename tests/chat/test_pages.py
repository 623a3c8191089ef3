"""The 17Cyber pages over plain HTTP: what a victim without JavaScript and an agent see and may do."""

import re
import uuid

import pytest
from django.urls import reverse

from cyberaide.chat import services
from cyberaide.chat.models import Conversation, ConversationEvent, Message
from tests.helpers import text_of

from .conftest import send

pytestmark = pytest.mark.django_db


def test_a_serious_result_offers_the_chat_and_a_mild_one_does_not(client, make_result, make_agent):
    make_agent()
    page = text_of(client.get(reverse("diagnostic:result", args=[make_result().token])))
    assert (
        "Parler maintenant à un policier ou un gendarme" in page and "Police : 1" in page and "Gendarmerie : 0" in page
    )
    page = text_of(client.get(reverse("diagnostic:result", args=[make_result("phishing", "particulier").token])))
    assert "policier ou un gendarme" not in page


def test_with_nobody_on_duty_the_result_says_so_and_gives_the_alternatives(client, make_result):
    page = text_of(client.get(reverse("diagnostic:result", args=[make_result().token])))
    assert "Aucun agent en service pour le moment" in page and "112" in page


def test_a_victim_opens_the_chat_and_writes_without_javascript(client, make_result):
    result = make_result()
    response = client.post(reverse("chat:open", args=[result.token]), {"postcode": "35000"})
    assert response.status_code == 302
    page_url = response.url
    conversation = Conversation.objects.get()
    assert conversation.force == "police" and conversation.commune_name == "Rennes"
    page = client.get(page_url)
    text = text_of(page)
    assert "Vous êtes la prochaine personne à être prise en charge" in text
    assert "Aucun agent n'est en service pour le moment" in text
    client_id = re.search(r'name="client_id" value="([^"]+)"', page.content.decode()).group(1)
    for _ in range(2):  # the same form sent twice (a double click, a resend after a cut)
        response = client.post(page_url, {"body": "Tous nos fichiers sont chiffrés", "client_id": client_id})
        assert response.status_code == 302 and response.url.endswith("#dernier-message")
    assert conversation.messages.filter(author="victim").count() == 1
    assert "Tous nos fichiers sont chiffrés" in text_of(client.get(page_url))


def test_a_postcode_shared_by_two_forces_asks_for_the_commune(client, make_result):
    result = make_result()
    url = reverse("chat:open", args=[result.token])
    response = client.post(url, {"postcode": "01000"})
    assert response.status_code == 422 and "Choisissez votre commune" in text_of(response)
    response = client.post(url, {"postcode": "01000", "commune": "01344"})
    assert response.status_code == 302
    assert Conversation.objects.get().force == "gendarmerie"


@pytest.mark.parametrize("postcode", ["", "99999", "<script>"])
def test_a_bad_postcode_is_explained_and_nothing_opens(client, make_result, postcode):
    response = client.post(reverse("chat:open", args=[make_result().token]), {"postcode": postcode})
    assert response.status_code == 422 and "code postal" in text_of(response)
    assert not Conversation.objects.exists()


def test_the_chat_cannot_be_opened_for_a_mild_diagnosis(client, make_result):
    response = client.post(
        reverse("chat:open", args=[make_result("phishing", "particulier").token]), {"postcode": "35000"}
    )
    assert response.status_code == 404 and not Conversation.objects.exists()


def test_opening_chats_in_a_loop_is_limited(client, make_result, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_CHAT_OPEN = "2/3600"
    url = reverse("chat:open", args=[make_result().token])
    assert [client.post(url, {"postcode": "35000"}).status_code for _ in range(3)] == [302, 302, 422]
    assert Conversation.objects.count() == 2


@pytest.mark.parametrize(("body", "error"), [("", "vide"), ("x" * 2001, "2000 caractères")])
def test_a_bad_message_is_explained_and_kept_in_the_form(client, open_chat, body, error):
    conversation, token = open_chat()
    url = reverse("chat:conversation", args=[token])
    response = client.post(url, {"body": body, "client_id": str(uuid.uuid4())})
    assert response.status_code == 422 and error in text_of(response)
    assert conversation.messages.count() == 1


def test_the_http_fallback_speaks_json(client, open_chat):
    conversation, token = open_chat()
    url = reverse("chat:conversation", args=[token])
    client_id = str(uuid.uuid4())
    ack = client.post(url, {"body": "Bonjour", "client_id": client_id}, headers={"accept": "application/json"})
    assert ack.json() == {"type": "ack", "client_id": client_id, "seq": 2, "created": True}
    error = client.post(url, {"body": " ", "client_id": client_id}, headers={"accept": "application/json"})
    assert error.status_code == 422 and "vide" in error.json()["message"]
    sync = client.get(reverse("chat:messages", args=[token]) + "?apres=1").json()
    assert [m["body"] for m in sync["messages"]] == ["Bonjour"] and sync["status"]["position"] == 1
    assert client.get(reverse("chat:messages", args=[token]) + "?apres=abc").status_code == 400


def test_a_victim_reaches_nothing_with_a_wrong_or_old_token(client, open_chat):
    conversation, token = open_chat()
    for name in ("chat:conversation", "chat:messages", "chat:transcript"):
        assert client.get(reverse(name, args=[token[:-2] + "xx"])).status_code == 404
    Conversation.objects.filter(pk=conversation.pk).update(purged_at=conversation.opened_at)
    assert client.get(reverse("chat:conversation", args=[token])).status_code == 410


def test_the_victim_leaves_and_downloads_the_transcript(client, open_chat):
    conversation, token = open_chat()
    send(conversation, "Merci, je rappelle plus tard")
    client.post(reverse("chat:leave", args=[token]))
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.outcome == "victim_left"
    download = client.get(reverse("chat:transcript", args=[token]))
    assert download["Content-Disposition"] == f'attachment; filename="17cyber-{conversation.reference}.txt"'
    assert "Merci, je rappelle plus tard" in download.content.decode()


# ---- Agents ----------------------------------------------------------------------------------------------------


def test_the_console_needs_an_agent_account_with_both_factors(client, verified_login, make_agent):
    from cyberaide.accounts.models import User

    url = reverse("chat:console")
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    agent = make_agent()
    client.force_login(agent.user)
    assert reverse("accounts:login") in client.get(url).url or "double" in client.get(url).url
    verified_login(client, User.objects.create_user("curieux@example.org", password="x"))
    assert client.get(url).status_code == 403
    verified_login(client, agent.user)
    assert client.get(url).status_code == 200


def test_an_agent_claims_answers_with_a_canned_answer_and_closes_with_a_sheet(
    client, verified_login, make_agent, open_chat
):
    from cyberaide.chat.setup import load_canned_answers

    load_canned_answers()
    conversation, token = open_chat()
    send(conversation, "Tout est chiffré depuis ce matin")
    agent = make_agent(name="Brigadier Diallo")
    verified_login(client, agent.user)
    console = text_of(client.get(reverse("chat:console")))
    assert conversation.reference in console and "Rançongiciel" in console
    response = client.post(reverse("chat:claim", args=[conversation.reference]))
    assert response.url == reverse("chat:agent_conversation", args=[conversation.reference])
    page = text_of(client.get(response.url))
    assert "Nos fichiers ne s'ouvrent plus" in page  # the diagnosis, so the victim does not repeat it
    assert "Tout est chiffré depuis ce matin" in page
    assert "Accueil (gendarmerie)" not in page and "Accueil (police)" in page
    client.post(
        reverse("chat:send_canned", args=[conversation.reference]),
        {"canned": "greeting_police", "client_id": str(uuid.uuid4())},
    )
    assert conversation.messages.filter(author="agent", body__startswith="Bonjour, je suis policier").exists()
    response = client.post(reverse("chat:close", args=[conversation.reference]), {"outcome": "complaint"})
    assert response.status_code == 422 and "unité destinataire" in text_of(response)
    response = client.post(
        reverse("chat:close", args=[conversation.reference]),
        {"outcome": "complaint", "unit": "Commissariat de Rennes", "evidence": "Capture de la rançon"},
    )
    assert response.url == reverse("chat:sheet", args=[conversation.reference])
    sheet = text_of(client.get(response.url))
    assert (
        "Commissariat de Rennes" in sheet and "Tout est chiffré depuis ce matin" in sheet and "Rançongiciel" in sheet
    )
    victim_page = text_of(client.get(reverse("chat:conversation", args=[token])))
    assert "Plainte en ligne (THESEE)" in victim_page
    assert list(ConversationEvent.objects.values_list("action", flat=True)) == [
        "open",
        "claim",
        "sheet",
        "close",
        "sheet_viewed",
    ]


def test_an_agent_sees_only_their_force_queue_and_the_chats_they_hold(client, verified_login, make_agent, open_chat):
    police_chat, _ = open_chat("35000")
    gendarmerie_chat, _ = open_chat("46500")
    holder, other = make_agent(), make_agent()
    services.claim(police_chat, agent=holder)
    verified_login(client, other.user)
    console = text_of(client.get(reverse("chat:console")))
    assert police_chat.reference not in console and gendarmerie_chat.reference not in console
    for name in ("chat:agent_conversation", "chat:agent_messages", "chat:agent_transcript", "chat:sheet"):
        assert client.get(reverse(name, args=[police_chat.reference])).status_code == 404
    assert client.post(reverse("chat:claim", args=[gendarmerie_chat.reference])).status_code == 404
    response = client.post(
        reverse("chat:agent_conversation", args=[police_chat.reference]),
        {"body": "intrus", "client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert not Message.objects.filter(body="intrus").exists()


def test_an_agent_transfers_to_a_colleague_or_back_to_a_queue(client, verified_login, make_agent, open_chat):
    conversation, _ = open_chat()
    agent, colleague = make_agent(), make_agent(force="gendarmerie", name="Gendarme Laurent")
    services.claim(conversation, agent=agent)
    verified_login(client, agent.user)
    url = reverse("chat:transfer", args=[conversation.reference])
    client.post(url, {"to": "agent-999999"})
    conversation.refresh_from_db()
    assert conversation.agent == agent
    client.post(url, {"to": f"agent-{colleague.pk}"})
    conversation.refresh_from_db()
    assert conversation.agent == colleague and conversation.force == "gendarmerie" and conversation.status == "active"
    assert "a passé la discussion à Gendarme Laurent" in conversation.messages.last().body


def test_going_on_and_off_duty_changes_what_victims_see(client, verified_login, make_agent, make_result):
    agent = make_agent(on_duty=False)
    verified_login(client, agent.user)
    result_url = reverse("diagnostic:result", args=[make_result().token])
    assert "Aucun agent en service" in text_of(client.get(result_url))
    client.post(reverse("chat:duty"), {"on_duty": "1"})
    assert "Police : 1" in text_of(client.get(result_url))
    client.post(reverse("chat:duty"), {"on_duty": "0"})
    assert "Aucun agent en service" in text_of(client.get(result_url))


def test_a_flood_of_posted_messages_is_cut_cleanly(client, open_chat, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMIT_CHAT_MESSAGE = "3/60"
    conversation, token = open_chat()
    url = reverse("chat:conversation", args=[token])
    codes = [
        client.post(url, {"body": f"spam {n}", "client_id": str(uuid.uuid4())}, headers={"accept": "application/json"})
        for n in range(5)
    ]
    assert [r.status_code for r in codes] == [200, 200, 200, 422, 422]
    assert "patientez" in codes[-1].json()["message"]
    assert conversation.messages.filter(author="victim").count() == 3


def test_staff_withdrawing_an_agent_sends_their_chats_back_to_the_queue(client, verified_login, make_agent, open_chat):
    from cyberaide.accounts.models import User

    conversation, _ = open_chat()
    agent = make_agent()
    services.claim(conversation, agent=agent)
    verified_login(client, User.objects.create_superuser("revue", password="x"))
    url = reverse("admin:chat_agent_change", args=[agent.pk])
    response = client.post(
        url, {"user": agent.user.pk, "force": agent.force, "display_name": agent.display_name, "unit": ""}
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    agent.refresh_from_db()
    assert not agent.is_active and not agent.on_duty
    assert conversation.status == "waiting" and conversation.agent is None
