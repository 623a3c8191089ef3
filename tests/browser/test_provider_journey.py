"""The whole provider loop in a real browser, served by the real ASGI server (HTTP and WebSocket):
a provider applies → staff accept → a victim finds that provider and sends a request → the provider's
dashboard shows it without reload → report → rating → moderation → the rating is public."""

import base64
import re
from types import SimpleNamespace

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.diagnostic.graphs import graph_for_version_id
from cyberaide.providers.charters import load_charter

from .test_victim_journey import pick, walk_to_result

PASSWORD = "une-phrase-de-passe-longue"


def code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def new_page(browser, javascript=True):
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True, locale="fr-FR")
    return context.new_page()


def apply_as_provider(page, base, screenshot, axe_violations):
    page.goto(base + reverse("providers:signup"))
    page.get_by_label("Votre nom et prénom").fill("Camille Roux")
    page.get_by_label("Adresse e-mail professionnelle").fill("camille@octet.example")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code affiché par l'application").fill(code_from_secret(secret))
    page.get_by_role("button", name="Activer").click()
    page.get_by_role("link", name="Commencer ma candidature").click()

    page.get_by_label("Raison sociale").fill("Octet Sûr Lyon SARL")
    page.get_by_label("Numéro SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_label("Adresse (numéro et voie)").fill("18 cours Gambetta")
    page.get_by_label("Code postal", exact=True).fill("69003")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name=re.compile("Activité et prix")).wait_for()
    assert axe_violations(page) == []
    screenshot(page, "provider-application")
    page.get_by_label("Présentation de votre activité").fill("Dépannage et sécurité informatique à Lyon.")
    pick(page, "Professionnels (entreprises, associations)")
    pick(page, "Ordinateurs et serveurs")
    page.get_by_label("Vos prix").fill("Diagnostic : 60 € HT, devis gratuit.")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_label("Départements où vous vous déplacez").select_option(["69"])
    page.get_by_role("button", name="Enregistrer et continuer").click()
    pick(page, "J'ai lu la charte")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    page.get_by_text("Candidature en cours d'examen").wait_for()


def staff_sign_in(page, base):
    staff = User.objects.create_user("revue", password=PASSWORD, is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="téléphone", confirmed=True)
    page.goto(base + reverse("admin:index"))  # sent to the common sign-in page, and back
    page.get_by_label("Adresse e-mail ou identifiant").fill("revue")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Code à usage unique").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Cyberaide — administration").first.wait_for()
    assert page.url.endswith(reverse("admin:index"))


def test_provider_applies_is_accepted_helps_a_victim_and_is_rated(
    browser, asgi_server, graph_version, screenshot, axe_violations
):
    load_charter()
    base = asgi_server
    provider_page = new_page(browser)
    apply_as_provider(provider_page, base, screenshot, axe_violations)

    staff_page = new_page(browser)
    staff_sign_in(staff_page, base)
    staff_page.goto(base + reverse("admin:providers_provider_changelist") + "?status__exact=submitted")
    staff_page.get_by_role("link", name="Octet Sûr Lyon SARL").click()
    staff_page.locator("#decision-form select[name=action]").select_option("accept")
    staff_page.locator("#decision-form input[type=submit]").click()
    staff_page.get_by_text("Décision enregistrée").wait_for()

    # The provider's dashboard stays open from now on: new requests must appear on it by themselves.
    provider_page.goto(base + reverse("providers:space"))
    provider_page.get_by_text("Aucune demande en cours").wait_for()
    provider_page.wait_for_timeout(500)  # let the WebSocket connect
    assert axe_violations(provider_page) == []

    victim = new_page(browser)
    graph = graph_for_version_id(graph_version.pk)
    walk_to_result(victim, SimpleNamespace(url=base), graph, "entreprise", "ransomware")
    victim.get_by_label("Votre code postal ou votre commune").fill("69003")
    victim.get_by_role("button", name="Voir les prestataires proches").click()
    victim.get_by_role("heading", name="Octet Sûr Lyon SARL").wait_for()
    assert axe_violations(victim) == []
    screenshot(victim, "provider-matches")
    victim.get_by_role("link", name="Demander l'aide de ce prestataire : Octet Sûr Lyon SARL").click()
    victim.get_by_label("Votre nom").fill("Claire Dubois")
    victim.get_by_label("Votre adresse e-mail").fill("claire@exemple.fr")
    victim.get_by_label("Votre message au prestataire (facultatif)").fill("Tous nos fichiers sont chiffrés.")
    pick(victim, "J'accepte que mes coordonnées")
    victim.get_by_role("button", name="Envoyer ma demande").click()
    victim.get_by_role("heading", name=re.compile("Votre demande A-")).wait_for()
    follow_up_url = victim.url
    reference = re.search(r"A-[0-9A-Z]{8}", victim.get_by_role("heading", level=1).inner_text()).group(0)

    # No reload: the row arrives through the WebSocket notification.
    provider_page.get_by_role("link", name=reference).wait_for(timeout=10_000)
    screenshot(provider_page, "provider-dashboard")
    provider_page.get_by_role("link", name=reference).click()
    provider_page.get_by_role("button", name="Accepter la demande").click()
    provider_page.get_by_role("button", name="Commencer l'intervention").click()
    pick(provider_page, "Oui, c'était bien cet incident")
    provider_page.get_by_label("Ce que vous avez fait").fill("Isolement du poste, restauration des sauvegardes.")
    pick(provider_page, "Problème résolu")
    provider_page.get_by_role("button", name="Clôturer avec ce rapport").click()
    provider_page.get_by_text("Rapport enregistré").wait_for()

    victim.goto(follow_up_url)
    pick(victim, "5 sur 5")
    victim.get_by_label("Votre commentaire (facultatif)").fill("Réactifs et très clairs, merci.")
    victim.get_by_role("button", name="Envoyer mon avis").click()
    victim.get_by_text("Merci pour votre avis").wait_for()

    staff_page.goto(base + reverse("admin:assistance_rating_changelist"))
    staff_page.get_by_role("link", name=reference).click()
    staff_page.get_by_role("button", name="Publier").click()
    staff_page.get_by_text("Avis publié").wait_for()

    victim.goto(base + reverse("providers:directory"))
    assert axe_violations(victim) == []
    victim.get_by_role("link", name="Octet Sûr Lyon SARL").click()
    victim.get_by_text("Réactifs et très clairs, merci.").wait_for()
    assert "5.0 sur 5" in victim.content() or "5,0 sur 5" in victim.content()
    screenshot(victim, "provider-profile")
