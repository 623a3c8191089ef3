"""The checker and the contest form in a real browser, with the keyboard only and checked by axe-core; the report of
what the scammer used at the end of a diagnostic, without JavaScript."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cyberaide.antiscam import services
from cyberaide.antiscam.models import Contest, Indicator, Kind, Listing
from cyberaide.diagnostic.services import create_result

SMS = (
    "ANTAI : votre amende de 35 EUR est majorée. Réglez avant ce soir sur "
    "https://amende-antai-reglement.info/dossier?utm_source=sms ou sur https://lmpots-gouv-remboursement.com/ "
    "— service client 01 99 00 12 34"
)


def list_site(value):
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, value, value))
    Indicator.objects.filter(pk=indicator.pk).update(report_count=137)
    return services.list_indicator(
        indicator=indicator,
        category="impersonation",
        reason="Faux site de paiement d'amende qui imite l'ANTAI et vole les cartes bancaires.",
        expires_at=timezone.now() + timedelta(days=60),
        origin=Listing.Origin.STAFF,
    )


def test_check_a_whole_sms_with_the_keyboard(page, live_server, taxonomy, screenshot, axe_violations):
    list_site("amende-antai-reglement.info")
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="Vérifier un lien", exact=True).first.click()
    page.get_by_role("heading", name="Vérifier un lien, un numéro, un message").wait_for()
    screenshot(page, "antiscam-01-checker")
    assert axe_violations(page) == []

    page.get_by_label("Ce que vous voulez vérifier").focus()
    page.keyboard.insert_text(SMS)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Ce que nous savons").wait_for()
    cards = page.locator(".cy-verdict")
    assert cards.count() == 3
    # Badges are drawn in capitals by the DSFR.
    listed, suspect, unknown = (cards.nth(index).inner_text().lower() for index in range(3))
    assert "signalé comme arnaque" in listed and "137 victimes" in listed and "imite l'antai" in listed
    assert "suspect" in suspect and "impots.gouv.fr" in suspect
    assert "rien de connu" in unknown and "pas une garantie" in unknown
    screenshot(page, "antiscam-02-verdicts")
    assert axe_violations(page) == []


def test_contest_a_listing_with_errors_then_success(page, live_server, taxonomy, screenshot, axe_violations):
    list_site("boulangerie-martin.fr")
    page.goto(live_server.url + reverse("antiscam:contest") + "?adresse=https://www.boulangerie-martin.fr/")
    page.get_by_role("heading", name="Contester l'inscription d'un site sur la liste").wait_for()
    assert axe_violations(page) == []

    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer la contestation").click()
    page.get_by_text("Cette adresse e-mail n'est pas valide").wait_for()
    assert page.get_by_text("Seul le responsable peut contester").is_visible()
    screenshot(page, "antiscam-03-contest-errors")
    assert axe_violations(page) == []
    assert not Contest.objects.exists()

    page.get_by_label("Votre nom ou celui de votre organisme").fill("Boulangerie Martin")
    page.get_by_label("Votre adresse e-mail").fill("contact@example.fr")
    page.get_by_label("Pourquoi cette inscription est-elle une erreur ?").fill(
        "Notre site a été piraté la semaine dernière ; la fausse page est supprimée."
    )
    # The DSFR draws the box on the label, which takes the click (the keyboard works on the input itself).
    page.get_by_label("Je suis le responsable").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Envoyer la contestation").click()
    page.get_by_role("heading", name="Votre contestation est envoyée").wait_for()
    screenshot(page, "antiscam-04-contest-sent")
    assert axe_violations(page) == []
    assert Contest.objects.get().listing.indicator.value == "boulangerie-martin.fr"


def test_report_what_the_scammer_used_without_javascript(browser, live_server, graph_version, screenshot):
    result = create_result(audience="particulier", incident_code="scam_sms")
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + reverse("diagnostic:result", args=[result.token]))
    page.get_by_label("Ce que l'escroc a utilisé").fill(
        "Colis en attente, frais de 1,99 EUR : https://colis-frais-attente.info/p ; "
        "mon numéro à moi : 06 12 34 56 78 ; l'escroc : 01 99 00 12 34"
    )
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("heading", name="Vérifiez ce que vous nous envoyez").wait_for()
    screenshot(page, "antiscam-05-report-preview")
    page.get_by_label("06 12 34 56 78").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Envoyer ces éléments").click()
    page.get_by_text("Merci : 2 éléments enregistrés").wait_for()
    values = set(Indicator.objects.values_list("value", flat=True))
    assert "https://colis-frais-attente.info/p" in values and "+33199001234" in values
    assert "+33612345678" not in values
    context.close()
