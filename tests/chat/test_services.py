"""Opening, routing, messages stored once and in order, agents' actions, retention."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cyberaide.chat import services
from cyberaide.chat.models import CommuneCoverage, Conversation, ConversationEvent, Force, Message, TransmissionSheet
from cyberaide.chat.transcript import transcript_text

from .conftest import commune, send

pytestmark = pytest.mark.django_db


def test_the_commune_decides_the_queue_and_staff_overrides_win(open_chat):
    assert open_chat("35000")[0].force == Force.POLICE
    assert open_chat("46500")[0].force == Force.GENDARMERIE
    CommuneCoverage.objects.create(insee_code="35238", force=Force.GENDARMERIE)
    assert open_chat("35000")[0].force == Force.GENDARMERIE


def test_a_postcode_shared_by_communes_of_different_forces_asks_which_one():
    chosen, candidates = services.resolve_commune("01000")
    assert chosen is None and {c.name for c in candidates} == {"Bourg-en-Bresse", "Saint-Denis-lès-Bourg"}
    chosen, _ = services.resolve_commune("01000", "01344")
    assert chosen.name == "Saint-Denis-lès-Bourg"
    # All the communes of 46500 are gendarmerie: no need to ask, but the agent is not told a wrong commune.
    chosen, _ = services.resolve_commune("46500")
    assert chosen.name == "code postal 46500, commune non précisée" and chosen.departement == "46"


@pytest.mark.parametrize("postcode", ["", "00000", "abcde", "3500", "35 000 000"])
def test_an_unknown_postcode_is_refused(postcode):
    with pytest.raises(services.ChatError, match="code postal"):
        services.resolve_commune(postcode)


def test_the_chat_is_refused_for_a_diagnosis_that_does_not_offer_it(make_result):
    with pytest.raises(services.ChatError):
        services.open_conversation(result=make_result("phishing", "particulier"), commune=commune("35000"))
    assert not Conversation.objects.exists()


def test_the_agent_receives_the_diagnosis_and_the_token_is_stored_only_hashed(open_chat):
    conversation, token = open_chat()
    assert conversation.diagnosis["incident"] == "Rançongiciel"
    assert conversation.diagnosis["answers"][1]["answer"].startswith("Nos fichiers")
    assert token not in conversation.token_hash
    assert services.conversation_for_token(token) == conversation
    assert services.conversation_for_token(token + "x") is None


def test_a_resend_with_the_same_client_id_is_stored_once(open_chat):
    conversation, _ = open_chat()
    client_id = str(uuid.uuid4())
    first, created = send(conversation, "Bonjour, nos fichiers sont chiffrés", client_id=client_id)
    again, created_again = send(conversation, "Bonjour, nos fichiers sont chiffrés", client_id=client_id)
    assert created and not created_again and first.pk == again.pk
    assert conversation.messages.filter(author="victim").count() == 1


def test_a_client_id_sent_again_with_another_text_is_refused(open_chat):
    conversation, _ = open_chat()
    message, _ = send(conversation, "Première version")
    with pytest.raises(services.ChatError, match="rechargez"):
        send(conversation, "Autre texte", client_id=message.client_id)
    assert conversation.messages.filter(author="victim").count() == 1


def test_an_agent_whose_access_is_withdrawn_loses_their_chats_at_once(open_chat, make_agent):
    conversation, _ = open_chat()
    agent = make_agent()
    services.claim(conversation, agent=agent)
    agent.is_active = False
    agent.save()
    with pytest.raises(services.ChatError):
        send(conversation, "encore là", author="agent", agent=agent)
    assert services.withdraw(agent) == 1
    conversation.refresh_from_db()
    assert conversation.status == "waiting" and conversation.agent is None
    assert services.agents_online() == 0


def test_signing_out_ends_the_agents_service(client, verified_login, make_agent):
    agent = make_agent()
    verified_login(client, agent.user)
    assert services.agents_online() == 1
    client.post(reverse("accounts:logout"))
    assert services.agents_online() == 0


def test_a_client_id_cannot_take_over_another_authors_message(open_chat, make_agent):
    conversation, _ = open_chat()
    agent = make_agent()
    services.claim(conversation, agent=agent)
    message, _ = send(conversation, "Bonjour, je suis policier.", author="agent", agent=agent)
    with pytest.raises(services.ChatError):
        send(conversation, "usurpation", client_id=message.client_id)


def test_messages_are_numbered_in_order_and_read_after_the_last_one_seen(open_chat):
    conversation, _ = open_chat()
    for index in range(5):
        send(conversation, f"message {index}")
    assert [m.seq for m in services.messages_after(conversation)] == [1, 2, 3, 4, 5, 6]
    assert [m.body for m in services.messages_after(conversation, 4)] == ["message 3", "message 4"]


@pytest.mark.parametrize(
    ("body", "error"),
    [("", "vide"), ("   \n ", "vide"), ("x" * 2001, "2000 caractères"), ("bonjour\x00", "invisibles"), (42, "texte")],
)
def test_bad_messages_are_refused_and_nothing_is_stored(open_chat, body, error):
    conversation, _ = open_chat()
    with pytest.raises(services.ChatError, match=error):
        send(conversation, body)
    assert conversation.messages.count() == 1


@pytest.mark.parametrize("client_id", ["", "abc", None, "12345678-1234-1234-1234-1234567890123"])
def test_a_malformed_client_id_is_refused(open_chat, client_id):
    conversation, _ = open_chat()
    with pytest.raises(services.ChatError, match="Identifiant"):
        services.post_message(conversation, author="victim", body="bonjour", client_id=client_id)


def test_an_agent_of_the_other_force_cannot_claim_and_only_the_holder_writes(open_chat, make_agent):
    conversation, _ = open_chat("35000")
    gendarme, policier, colleague = make_agent(Force.GENDARMERIE), make_agent(), make_agent()
    with pytest.raises(services.ChatError, match="autre force"):
        services.claim(conversation, agent=gendarme)
    services.claim(conversation, agent=policier)
    with pytest.raises(services.ChatError):
        services.claim(conversation, agent=colleague)
    with pytest.raises(services.ChatError, match="pas la vôtre"):
        send(conversation, "je réponds aussi", author="agent", agent=colleague)


def test_the_queue_puts_the_most_urgent_first_and_tells_each_victim_their_place(open_chat, make_agent):
    agent = make_agent()
    ransomware, _ = open_chat(code="ransomware")  # serious by itself
    danger, _ = open_chat(code="cyberharassment", audience="particulier", situation={"s_danger": "in_danger"})
    assert [c.pk for c in services.queue_for(agent)] == [danger.pk, ransomware.pk]  # a person in danger first
    assert services.queue_status(danger).position == 1
    place = services.queue_status(ransomware)
    assert place.position == 2 and place.agents_online == 1 and place.wait_minutes >= 1


def test_closing_for_a_complaint_requires_the_transmission_sheet(open_chat, make_agent):
    conversation, _ = open_chat()
    agent = make_agent()
    services.claim(conversation, agent=agent)
    with pytest.raises(services.ChatError, match="unité destinataire"):
        services.close(conversation, agent=agent, outcome="complaint")
    conversation.refresh_from_db()
    assert conversation.status == "active" and not TransmissionSheet.objects.exists()
    draft = services.SheetDraft(unit="Commissariat de Rennes", evidence="Capture de la demande de rançon")
    services.close(conversation, agent=agent, outcome="complaint", sheet=draft)
    conversation.refresh_from_db()
    assert conversation.status == "closed" and conversation.sheet.unit == "Commissariat de Rennes"
    assert list(conversation.events.values_list("action", flat=True)) == ["open", "claim", "sheet", "close"]


def test_an_unknown_outcome_is_refused(open_chat, make_agent):
    conversation, _ = open_chat()
    agent = make_agent()
    services.claim(conversation, agent=agent)
    for outcome in ("", "abandoned", "n'importe quoi"):
        with pytest.raises(services.ChatError):
            services.close(conversation, agent=agent, outcome=outcome)


def test_presence_counts_agents_on_duty_seen_recently(make_agent, settings):
    make_agent(), make_agent(Force.GENDARMERIE), make_agent(on_duty=False)
    assert services.online_agents_by_force() == {"police": 1, "gendarmerie": 1}
    settings.CHAT_PRESENCE_TIMEOUT_SECONDS = -1
    assert services.agents_online() == 0


def test_the_transcript_holds_every_message(open_chat, make_agent):
    conversation, _ = open_chat()
    agent = make_agent(name="Brigadier Diallo")
    send(conversation, "Tout est chiffré\nmême le serveur")
    services.claim(conversation, agent=agent)
    send(conversation, "Débranchez le câble réseau.", author="agent", agent=agent)
    text = transcript_text(conversation)
    assert "Vous :\n  Tout est chiffré\n  même le serveur" in text
    assert "Brigadier Diallo :\n  Débranchez le câble réseau." in text
    assert conversation.reference in text


def test_inactive_conversations_are_closed_and_old_ones_erased(open_chat, make_agent, settings):
    stale, _ = open_chat()
    fresh, _ = open_chat()
    Conversation.objects.filter(pk=stale.pk).update(last_activity_at=timezone.now() - timedelta(hours=13))
    assert services.close_abandoned() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "closed" and stale.outcome == "abandoned" and fresh.status == "waiting"

    Conversation.objects.filter(pk=stale.pk).update(closed_at=timezone.now() - timedelta(days=91))
    call_command("purge_personal_data", stdout=io.StringIO())
    stale.refresh_from_db()
    assert stale.purged_at is not None and stale.diagnosis == {} and stale.commune_name == ""
    assert not Message.objects.filter(conversation=stale).exists()
    assert not ConversationEvent.objects.filter(conversation=stale).exclude(detail="").exists()
    assert stale.incident.code == "ransomware" and stale.outcome == "abandoned"  # the anonymous remainder
    assert (stale.opened_at.hour, stale.opened_at.minute, stale.closed_at.minute) == (0, 0, 0)
    assert Message.objects.filter(conversation=fresh).exists()
