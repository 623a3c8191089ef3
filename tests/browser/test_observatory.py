"""The public observatory in a real browser: change the period and the audience, read the charts' tables, download
the CSV; the same without JavaScript; axe-core on the observatory's pages."""

import csv
import io
from datetime import date
from pathlib import Path

from django.urls import reverse

from cyberaide.observatory import publication, rollups
from tests.observatory.helpers import month_of_journeys, save


def publish_three_months():
    for month in (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)):
        save(*month_of_journeys(month))
    rollups.rebuild()
    publication.publish(today=date(2026, 4, 20))


def test_change_period_and_audience_then_download_the_csv(page, live_server, taxonomy, screenshot, axe_violations):
    publish_three_months()
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="Observatoire", exact=True).first.click()
    page.get_by_role("heading", name="Observatoire de la menace").wait_for()
    assert "de janvier à mars 2026, tous les publics" in page.locator("#resume").inner_text()
    screenshot(page, "observatory-01-overview")
    assert axe_violations(page) == []

    page.get_by_label("Du mois de").select_option(label="février 2026")
    page.get_by_label("Au mois de (inclus)").select_option(label="mars 2026")
    page.get_by_label("Public", exact=True).select_option(label="Entreprises")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**public=entreprise**")
    summary = page.locator("#resume").inner_text()
    assert "172 parcours terminés de février à mars 2026, entreprises" in summary.replace("\u202f", " ")
    threats = page.get_by_role("table", name="Menaces les plus fréquentes : entreprises, de février à mars 2026")
    assert "Hameçonnage" in threats.inner_text() and "Rançongiciel" in threats.inner_text()
    screenshot(page, "observatory-02-entreprises")
    assert axe_violations(page) == []

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger ces données (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "cyberaide-observatoire-parcours.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows and {row["public"] for row in rows} == {"entreprise"}
    assert {row["mois"] for row in rows} == {"2026-02", "2026-03"}

    page.get_by_role("link", name="Toutes les données ouvertes et leur description").click()
    page.get_by_role("heading", name="Données ouvertes de l'observatoire").wait_for()
    screenshot(page, "observatory-03-open-data")
    assert axe_violations(page) == []


def test_the_observatory_without_javascript(browser, live_server, taxonomy, screenshot):
    publish_three_months()
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.url + reverse("observatory:overview"))

    page.get_by_label("Du mois de").select_option("2026-03")
    page.get_by_label("Au mois de (inclus)").select_option("2026-01")
    page.get_by_role("button", name="Afficher").click()
    assert "Le mois de fin doit venir après le mois de début" in page.get_by_role("alert").inner_text()

    page.get_by_label("Au mois de (inclus)").select_option("2026-03")
    page.get_by_role("button", name="Afficher").click()
    assert "en mars 2026" in page.locator("#resume").inner_text()
    page.locator("summary", has_text="Auvergne-Rhône-Alpes").click()  # a native disclosure: no script needed
    assert page.get_by_role("table", name="Parcours par département : Auvergne-Rhône-Alpes, en mars 2026").is_visible()
    screenshot(page, "observatory-04-without-javascript")
    context.close()
