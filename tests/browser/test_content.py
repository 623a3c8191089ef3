"""Prevention content in a real browser: an editor publishes an alert in the back office (with the site's own
Content-Security-Policy enforced), the banner reaches the diagnostic, the feed lists it; and every page type
passes axe-core."""

import re

from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.content.models import (
    AlertIndexPage,
    AlertPage,
    CampaignPage,
    ContentHomePage,
    GuidePage,
    KitPage,
    MemoPage,
    PracticalSheetPage,
    ReflexSheetPage,
    SectionPage,
    ThreatArticlePage,
    VideoPage,
)
from cyberaide.content.seed import load_content
from cyberaide.content.setup import MODERATORS, set_up_content

from .test_victim_journey import pick

PASSWORD = "une-phrase-de-passe-longue"
ALERT_TITLE = "Faux SMS de l'Assurance maladie"
BANNER = "Un SMS vous demande de renouveler votre carte Vitale : c'est une arnaque, ne cliquez pas."


def sign_in_editor(page, base):
    editor = User.objects.create_user("redaction", email="redaction@cyberaide.example", password=PASSWORD)
    editor.groups.add(Group.objects.get(name=MODERATORS))
    device = TOTPDevice.objects.create(user=editor, name="téléphone", confirmed=True)
    page.goto(base + "/cms/")  # sent to the common sign-in page, and back
    page.get_by_label("Adresse e-mail ou identifiant").fill("redaction")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Code à usage unique").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/cms/")


def test_an_editor_publishes_an_alert_seen_on_the_diagnostic_and_in_the_feed(
    browser, asgi_server, graph_version, screenshot, axe_violations
):
    set_up_content()
    base = asgi_server
    # The back office with the site's real Content-Security-Policy: no inline script or third party sneaks in.
    editor_context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    refused = []
    editor = editor_context.new_page()
    editor.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    sign_in_editor(editor, base)

    editor.goto(
        base + reverse("wagtailadmin_pages:add", args=["content", "alertpage", AlertIndexPage.objects.get().pk])
    )
    editor.locator("#id_title").fill(ALERT_TITLE)
    editor.locator("#id_severity").select_option("critical")
    editor.locator("#id_banner").fill(BANNER)
    editor.locator("#id_ends_at").fill("2099-12-31 23:00")
    editor.keyboard.press("Escape")
    editor.locator("#id_incident_type").select_option(label="SMS frauduleux (colis, amende, CPF, carte Vitale…)")
    editor.locator("#id_intro").fill(
        "Une vague de SMS imite l'Assurance maladie pour voler vos coordonnées bancaires."
    )
    editor.get_by_role("checkbox", name="Particuliers", exact=True).check()
    screenshot(editor, "content-01-editor-writes-alert")
    editor.locator("footer [data-w-dropdown-target='toggle']").first.click()
    editor.get_by_role("button", name=re.compile("^Publier")).click()
    editor.get_by_text(ALERT_TITLE).first.wait_for()
    screenshot(editor, "content-02-alert-published")
    assert AlertPage.objects.get(title=ALERT_TITLE).live
    assert refused == []

    victim = browser.new_context(locale="fr-FR", bypass_csp=True).new_page()
    victim.goto(base + reverse("diagnostic:start"))
    banner = victim.locator(".cy-alert-banner")
    banner.get_by_text(BANNER).wait_for()
    screenshot(victim, "content-03-banner-on-diagnostic")
    assert axe_violations(victim) == []

    # A victim of the wave goes straight to the questions about their situation, then to what to do.
    banner.get_by_role("link", name="Vous êtes concerné ? Que faire maintenant").click()
    pick(victim, "Un particulier")
    victim.get_by_role("button", name="Commencer").click()
    victim.get_by_text("Nous avons reconnu votre situation").wait_for()
    for answer in ("Non", "Non, ni argent ni information bancaire"):
        pick(victim, answer)
        victim.get_by_role("button", name="Continuer").click()
    victim.get_by_role("heading", name=re.compile("Vous semblez être victime de : SMS frauduleux")).wait_for()
    screenshot(victim, "content-04-result-from-alert")

    feed = victim.request.get(base + reverse("content:alerts_rss"))
    assert feed.ok
    assert f"<title>{ALERT_TITLE}</title>".replace("'", "&#x27;") in feed.text() or ALERT_TITLE in feed.text()


def test_every_content_page_type_passes_axe(browser, asgi_server, taxonomy, screenshot, axe_violations):
    load_content()
    base = asgi_server
    page = browser.new_context(locale="fr-FR", bypass_csp=True).new_page()
    pages = {
        "home": ContentHomePage.objects.get(),
        "section": SectionPage.objects.get(slug="fiches-reflexes"),
        "reflex": ReflexSheetPage.objects.first(),
        "practical": PracticalSheetPage.objects.first(),
        "article": ThreatArticlePage.objects.first(),
        "memo": MemoPage.objects.first(),
        "video": VideoPage.objects.first(),
        "guide": GuidePage.objects.first(),
        "campaign": CampaignPage.objects.first(),
        "alert": AlertPage.objects.first(),
        "alerts": AlertIndexPage.objects.get(),
        "kit": KitPage.objects.get(),
    }
    failures = {}
    for name, content in pages.items():
        page.goto(base + content.url)
        page.get_by_role("heading", level=1).first.wait_for()
        screenshot(page, f"content-type-{name}")
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    for name, url in {
        "search": reverse("content:search") + "?q=arnaque+colis",
        "subscribe": reverse("content:alerts_subscribe"),
    }.items():
        page.goto(base + url)
        screenshot(page, f"content-{name}")
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    assert failures == {}
