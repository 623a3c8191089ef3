"""17Cyber in real browsers over the real ASGI server (HTTP and WebSocket): a victim with a serious diagnosis
talks with an agent signed in with both factors, directly and through a partner's embedded module."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.chat.models import Agent, Conversation
from cyberaide.chat.setup import load_canned_answers
from cyberaide.diagnostic.graphs import graph_for_version_id
from cyberaide.diagnostic.models import JourneyRecord
from cyberaide.partners.demo import create_demo_partner
from cyberaide.partners.models import Partner

from ..diagnostic.paths import journey_to
from .test_victim_journey import walk_to_result

PASSWORD = "une-phrase-de-passe-longue"


def new_page(browser, *, javascript=True, real_csp=False):
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=not real_csp, locale="fr-FR")
    return context.new_page()


def agent_signs_in(browser, base, *, force="police", name="Brigadier Diallo"):
    user = User.objects.create_user(f"{force}@interieur.example", password=PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    Agent.objects.create(user=user, force=force, display_name=name, unit="Plateforme 17Cyber")
    page = new_page(browser)
    page.goto(base + reverse("chat:console"))  # sent to the common sign-in page, and back
    page.get_by_label("Adresse e-mail ou identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Code à usage unique").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="Console 17Cyber").wait_for()
    page.get_by_role("button", name="Prendre mon service").click()
    page.get_by_text("En service", exact=True).wait_for()
    return page


def agent_claims_and_talks(agent, reference, victim_text, reply):
    """From the console (updated live), claim the chat, read the victim, answer."""
    agent.get_by_role("button", name=f"Prendre en charge {reference}").click()
    agent.get_by_role("heading", name=f"Discussion {reference}").wait_for()
    agent.get_by_text(victim_text).wait_for()
    agent.get_by_label("Votre message").fill(reply)
    agent.get_by_role("button", name="Envoyer", exact=True).click()
    agent.locator("#chat-messages li[data-seq]", has_text=reply).wait_for()  # stored and numbered, not just shown


def agent_closes_with_complaint(agent):
    agent.locator("label", has_text="Plainte en ligne (THESEE)").click()
    agent.get_by_label("Unité destinataire de la fiche de transmission").fill("Commissariat de Rennes")
    agent.get_by_label("Preuves que détient la victime").fill("La note de rançon, les fichiers chiffrés")
    agent.get_by_role("button", name="Terminer avec cette issue").click()
    agent.get_by_role("heading", name="Fiche de transmission 17Cyber").wait_for()


@pytest.fixture
def canned_answers(transactional_db):
    load_canned_answers()


def test_a_victim_and_an_agent_talk_live_and_the_agent_closes_with_a_complaint(
    browser, asgi_server, graph_version, canned_answers, screenshot, axe_violations
):
    agent = agent_signs_in(browser, asgi_server)
    assert axe_violations(agent) == []
    screenshot(agent, "chat-console-empty")

    victim = new_page(browser)
    graph = graph_for_version_id(graph_version.pk)
    walk_to_result(victim, SimpleNamespace(url=asgi_server), graph, "entreprise", "ransomware")
    victim.get_by_role("heading", name="Parler maintenant à un policier ou un gendarme").wait_for()
    assert victim.get_by_text("Police : 1").is_visible()
    screenshot(victim, "chat-offer-on-result")
    victim.locator("#id_postcode").fill("35000")
    victim.get_by_role("button", name="Ouvrir la discussion").click()
    victim.get_by_role("heading", name="Discussion avec la police ou la gendarmerie").wait_for()
    victim.get_by_text("Vous êtes la prochaine personne à être prise en charge").wait_for()
    victim.get_by_label("Votre message").fill("Tous nos fichiers sont chiffrés depuis ce matin")
    victim.get_by_role("button", name="Envoyer", exact=True).click()
    victim.locator("#chat-messages li[data-seq='2']").wait_for()
    assert axe_violations(victim) == []
    screenshot(victim, "chat-victim-waiting")

    reference = Conversation.objects.get().reference
    agent.get_by_role("button", name=f"Prendre en charge {reference}").wait_for()  # no reload: the console is live
    assert axe_violations(agent) == []
    screenshot(agent, "chat-console-queue")
    agent_claims_and_talks(
        agent, reference, "Tous nos fichiers sont chiffrés", "Débranchez le câble réseau, sans éteindre."
    )
    assert agent.get_by_text("Rançongiciel").first.is_visible()  # the diagnosis came with the chat

    victim.get_by_text("Vous échangez avec Brigadier Diallo").wait_for()
    victim.get_by_text("Débranchez le câble réseau, sans éteindre.").wait_for()
    victim.get_by_label("Votre message").fill("C'est fait.")
    victim.get_by_label("Votre message").press("Enter")
    agent.get_by_text("C'est fait.").wait_for()
    agent.get_by_label("Réponse type").select_option(label="Conserver les preuves")
    agent.get_by_role("button", name="Envoyer cette réponse").click()
    victim.locator(".cy-chat__message--agent").nth(1).wait_for()
    assert axe_violations(agent) == []
    screenshot(agent, "chat-agent-conversation")
    screenshot(victim, "chat-victim-talking")

    agent_closes_with_complaint(agent)
    assert agent.get_by_text("Tous nos fichiers sont chiffrés depuis ce matin").is_visible()
    screenshot(agent, "chat-transmission-sheet")
    victim.get_by_text("Issue : Plainte en ligne (THESEE)").first.wait_for()
    with victim.expect_download() as download:
        victim.get_by_role("link", name="Télécharger la transcription").click()
    transcript = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Tous nos fichiers sont chiffrés depuis ce matin" in transcript
    assert "Brigadier Diallo :\n  Débranchez le câble réseau, sans éteindre." in transcript
    screenshot(victim, "chat-victim-closed")


def test_without_javascript_the_victim_chats_with_plain_forms(browser, asgi_server, graph_version):
    agent = agent_signs_in(browser, asgi_server, force="gendarmerie", name="Gendarme Laurent")
    victim = new_page(browser, javascript=False)
    graph = graph_for_version_id(graph_version.pk)
    walk_to_result(victim, SimpleNamespace(url=asgi_server), graph, "particulier", "intimate_image_extortion")
    victim.locator("#id_postcode").fill("46500")
    victim.get_by_role("button", name="Ouvrir la discussion").click()
    victim.get_by_label("Votre message").fill("Il me demande 300 euros avant minuit")
    victim.get_by_role("button", name="Envoyer", exact=True).click()
    victim.get_by_text("Il me demande 300 euros avant minuit").wait_for()

    reference = Conversation.objects.get().reference
    agent.reload()
    agent_claims_and_talks(agent, reference, "Il me demande 300 euros", "Ne payez pas. Gardez tous les messages.")
    victim.get_by_role("button", name="Actualiser la discussion").click()
    victim.get_by_text("Ne payez pas. Gardez tous les messages.").wait_for()
    assert victim.get_by_text("Vous échangez avec Gendarme Laurent").is_visible()


def test_the_chat_through_the_module_on_a_partners_page(browser, asgi_server, graph_version, screenshot):
    port = int(asgi_server.rsplit(":", 1)[1])
    partner = create_demo_partner(port)
    agent = agent_signs_in(browser, asgi_server)
    victim = new_page(browser, real_csp=True)  # the browser enforces frame-ancestors as it would for a real site
    victim.goto(f"http://localhost:{port}" + reverse("partners:demo"))
    frame = victim.frame_locator("iframe[title^='Victime de cybermalveillance']")
    graph = graph_for_version_id(graph_version.pk)
    frame.locator("label.fr-label", has_text=graph.audience("collectivite").label).first.click()
    frame.get_by_role("button", name="Commencer").click()
    for question_id, choice_code in journey_to(graph, "collectivite", "ransomware"):
        question = graph.question_for("collectivite", question_id)
        frame.get_by_role("heading", level=1, name=question.text).wait_for()
        frame.locator("label.fr-label", has_text=question.choice_for("collectivite", choice_code).label).first.click()
        frame.get_by_role("button", name="Continuer").click()
    frame.get_by_role("heading", name="Parler maintenant à un policier ou un gendarme").wait_for()
    frame.locator("#id_postcode").fill("35000")
    frame.get_by_role("button", name="Ouvrir la discussion").click()
    frame.get_by_text("Vous êtes la prochaine personne à être prise en charge").wait_for()
    frame.get_by_label("Votre message").fill("La mairie ne peut plus rien ouvrir")
    frame.get_by_role("button", name="Envoyer", exact=True).click()
    frame.locator("#chat-messages li[data-seq='2']").wait_for()

    conversation = Conversation.objects.get()
    agent.get_by_role("button", name=f"Prendre en charge {conversation.reference}").wait_for()
    agent_claims_and_talks(
        agent, conversation.reference, "La mairie ne peut plus rien ouvrir", "Isolez les postes du réseau."
    )
    frame.get_by_text("Isolez les postes du réseau.").wait_for()
    screenshot(victim, "chat-in-partner-module")
    agent_closes_with_complaint(agent)
    frame.get_by_text("Issue : Plainte en ligne (THESEE)").first.wait_for()

    assert conversation.partner_id == partner.pk
    record = JourneyRecord.objects.get()
    assert record.partner_id == partner.pk and record.channel == "partenaire"


def test_the_module_does_not_show_on_a_site_that_was_not_approved(browser, asgi_server, graph_version):
    port = int(asgi_server.rsplit(":", 1)[1])
    partner = create_demo_partner(port)
    Partner.objects.filter(pk=partner.pk).update(allowed_origins=["https://www.mairie-exemple.fr"])
    victim = new_page(browser, real_csp=True)
    victim.goto(f"http://localhost:{port}" + reverse("partners:demo"))
    victim.wait_for_timeout(1500)
    module = next(frame for frame in victim.frames if frame != victim.main_frame)
    assert not re.search(r"/module/", module.url or "") or module.locator("h1").count() == 0
    assert not JourneyRecord.objects.exists()
