"""The annual report: exact figures from the rollups and the providers' tables, its PDF, its command, its page."""

import base64
import io
import re
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cyberaide.assistance import services as assistance
from cyberaide.chat.models import Conversation
from cyberaide.diagnostic.models import IncidentType, JourneyRecord
from cyberaide.diagnostic.services import create_result
from cyberaide.observatory import annual, annual_pdf, rollups
from cyberaide.providers.models import Label
from tests.assistance.helpers import make_request
from tests.helpers import text_of
from tests.providers.factories import ProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


def this_year() -> int:
    return timezone.localdate().year


def journeys(count, *, at, audience="particulier", incident="", outcome="incident", **follow_ups):
    JourneyRecord.objects.bulk_create(
        JourneyRecord(
            audience=audience,
            outcome_kind=outcome,
            incident_code=incident,
            started_at=at,
            finished_at=at if outcome else None,
            **follow_ups,
        )
        for _ in range(count)
    )


@pytest.fixture
def last_year_journeys(graph_version):
    """Last year: 24 journeys of particuliers (22 in January), 7 of entreprises in June; 10 the year before."""
    year = this_year() - 1
    january, june = datetime(year, 1, 15, 12, tzinfo=UTC), datetime(year, 6, 15, 12, tzinfo=UTC)
    # 1 January at 00:30 in Paris is still 31 December in UTC: it belongs to this year.
    journeys(1, at=datetime(year - 1, 12, 31, 23, 30, tzinfo=UTC), incident="phishing")
    for incident, count in [
        ("phishing", 5),
        ("account_hacking", 5),
        ("fake_tech_support", 4),
        ("data_breach", 3),
        ("card_fraud", 2),
        ("identity_theft", 2),
    ]:
        journeys(count, at=january, incident=incident)
    journeys(2, at=datetime(year, 12, 20, 12, tzinfo=UTC), outcome="not_found")
    journeys(2, at=june, audience="entreprise", incident="ransomware", led_to_provider=True)
    journeys(1, at=june, audience="entreprise", incident="ransomware", led_to_chat=True, led_to_complaint=True)
    journeys(2, at=june, audience="entreprise", incident="phishing")
    journeys(1, at=june, audience="entreprise", incident="ceo_fraud")
    journeys(1, at=june, audience="oiv", outcome="out_of_scope")  # as the diagnostic records them: counted apart
    journeys(4, at=january, incident="phishing", outcome="")  # not finished: not counted
    # 31 December at 23:30 in UTC is already next year in Paris.
    journeys(1, at=datetime(year, 12, 31, 23, 30, tzinfo=UTC), incident="phishing")
    journeys(10, at=datetime(year - 1, 3, 1, 12, tzinfo=UTC), incident="phishing")
    rollups.rebuild()
    return year


def test_journey_figures_come_from_the_rollups(last_year_journeys, django_assert_num_queries):
    with django_assert_num_queries(10):
        figures = annual.key_figures(last_year_journeys)

    assert figures.complete and figures.end == date(last_year_journeys, 12, 31)
    assert figures.journeys == 30
    assert figures.previous_journeys == 10 and figures.change == 2.0
    assert dict(figures.journeys_by_month) == {
        1: 22,
        2: 0,
        3: 0,
        4: 0,
        5: 0,
        6: 6,
        7: 0,
        8: 0,
        9: 0,
        10: 0,
        11: 0,
        12: 2,
    }
    assert {one.audience: one.journeys for one in figures.audiences} == {
        "particulier": 24,
        "entreprise": 6,
        "association": 0,
        "collectivite": 0,
    }
    assert (figures.not_found, figures.out_of_scope) == (2, 1)
    assert (figures.to_provider, figures.to_chat, figures.to_complaint) == (2, 1, 1)

    particuliers, entreprises = figures.audiences[0], figures.audiences[1]
    # Five threats at most; of two with the same count, the first by name.
    names = dict(IncidentType.objects.values_list("code", "name"))
    fifth = sorted(["card_fraud", "identity_theft"], key=names.get)[0]
    assert [(threat.code, threat.journeys) for threat in particuliers.top_threats] == [
        ("phishing", 6),
        ("account_hacking", 5),
        ("fake_tech_support", 4),
        ("data_breach", 3),
        (fifth, 2),
    ]
    phishing = particuliers.top_threats[0]
    assert phishing.share == 6 / 24 and phishing.name == names["phishing"]
    assert [(threat.code, threat.journeys) for threat in entreprises.top_threats] == [
        ("ransomware", 3),
        ("phishing", 2),
        ("ceo_fraud", 1),
    ]
    assert figures.audiences[3].top_threats == ()


def test_the_text_of_the_figures_reads_in_french(last_year_journeys):
    text = annual.as_text(annual.key_figures(last_year_journeys))
    assert f"Bilan annuel {last_year_journeys}" in text
    assert annual.INTERNAL_NOTE in text
    assert "Parcours terminés : 30" in text
    assert f"Parcours terminés en {last_year_journeys - 1} : 10" in text
    assert "Évolution : +200\u00a0%" in text
    assert "Situations non trouvées (« je ne trouve pas ») : 2 (7\u00a0%)" in text


def test_the_current_year_stops_today_and_compares_with_the_same_period(taxonomy):
    today = timezone.localdate()
    journeys(3, at=timezone.now(), incident="phishing")
    journeys(1, at=datetime(today.year - 1, 1, 1, 12, tzinfo=UTC), incident="phishing")
    journeys(1, at=datetime(today.year - 1, 12, 31, 12, tzinfo=UTC), incident="phishing")
    rollups.rebuild()

    figures = annual.key_figures(today.year)

    assert not figures.complete and figures.end == today
    assert figures.journeys == 3
    assert len(figures.journeys_by_month) == today.month
    # The previous year up to the same day: its 31 December only counts when today is 31 December.
    assert figures.previous_journeys == (2 if (today.month, today.day) == (12, 31) else 1)
    assert "même période" in annual.as_text(figures)


def test_a_year_with_no_data_at_all_has_zeros_and_no_change(db):
    figures = annual.key_figures(2001)
    assert figures.journeys == 0 and figures.previous_journeys is None and figures.change is None
    assert figures.rating_average is None and figures.confirmed_share is None
    assert "aucune donnée" in annual.as_text(figures)


@pytest.mark.parametrize("offset", [-1000, -1, 1])
def test_a_year_out_of_range_is_refused_in_french(db, offset):
    year = {-1000: 1850, -1: 1999, 1: this_year() + 1}[offset]
    with pytest.raises(ValueError, match=f"comprise entre 2000 et {this_year()}"):
        annual.key_figures(year)


@pytest.mark.parametrize("text", ["abc", "", "20 25", "２０２５", "-2025", "12345"])
def test_a_typed_year_that_is_not_one_is_refused_in_french(text):
    with pytest.raises(ValueError, match="n'est pas valable"):
        annual.parse_year(text)


def close(request, provider, **report):
    for action in ("accept", "start"):
        assistance.provider_action(request, action, provider=provider, by=provider.owner)
    report = {"incident_confirmed": True, "incident": None, "outcome": "resolved", **report}
    assistance.close_with_report(request, provider=provider, by=provider.owner, actions="Nettoyage", **report)


@pytest.fixture
def activity(graph_version):
    """Providers referenced, labelled, delisted; requests, reports, ratings and conversations this year."""
    year, today = this_year(), timezone.localdate()
    staff = UserFactory(is_staff=True)
    mid_last_year = datetime(year - 1, 6, 1, tzinfo=UTC)
    old = ProviderFactory(referenced_since=mid_last_year)
    delisted = ProviderFactory(referenced_since=datetime(year - 2, 6, 1, tzinfo=UTC))
    delisted.apply_action("delist", by=staff, reason="Charte non respectée")
    new = ProviderFactory(draft=True)
    new.apply_action("submit", by=new.owner)
    new.apply_action("accept", by=staff)
    ProviderFactory(draft=True)
    Label.objects.create(provider=old, valid_from=date(year, 1, 1), valid_until=today + timedelta(days=700))
    Label.objects.create(
        provider=new, valid_from=date(year, 1, 1), valid_until=today + timedelta(days=700), revoked_at=timezone.now()
    )
    Label.objects.create(provider=delisted, valid_from=date(year - 1, 1, 1), valid_until=date(year - 1, 12, 31))

    requests = []
    for _ in range(4):
        result = create_result(audience="entreprise", incident_code="ransomware")
        requests.append(make_request(result, old)[0])
    assistance.create_request(
        provider=old,
        place=assistance.Place("Lyon", "69003", "69", 45.76, 4.84),
        contact=assistance.Contact("Claire Dubois", "claire@exemple.fr"),
        consent=True,
        audience="entreprise",
        needs=[["Que voulez-vous sécuriser ?", "Le site internet"]],
        expertise=("sites_web",),
    )
    close(requests[0], old)
    close(requests[1], old)
    close(
        requests[2],
        old,
        incident_confirmed=False,
        incident=IncidentType.objects.get(code="phishing"),
        outcome="not_resolved",
    )
    assistance.rate(requests[0], score=5)
    assistance.rate(requests[1], score=4)
    rejected = assistance.rate(requests[2], score=1, comment="Nul")
    assistance.moderate(rejected, publish=False, by=staff, reason="Propos injurieux")

    for index, outcome in enumerate(["advice", "complaint", ""]):
        Conversation.objects.create(
            token_hash=f"{index:064d}", force="police", audience="entreprise", severity_rank=0, outcome=outcome
        )
    rollups.rebuild()
    return year


def test_provider_and_intervention_figures(activity):
    figures = annual.key_figures(activity)

    assert figures.providers_referenced == 2  # the old one and the new one; not the delisted one, not the draft
    assert figures.providers_new == 1
    assert figures.labels_valid == 1  # the revoked label does not count
    assert (figures.requests, figures.securing_requests, figures.requests_reported) == (5, 1, 3)
    assert figures.interventions == 3 and figures.interventions_confirmed == 2
    assert [(tally.code, tally.count) for tally in figures.intervention_outcomes] == [
        ("resolved", 2),
        ("not_resolved", 1),
    ]
    assert figures.confirmed_share == 2 / 3
    assert (figures.ratings, figures.rating_average) == (2, 4.5)  # the rejected rating is left out
    assert figures.conversations == 3
    assert {tally.code: tally.count for tally in figures.conversation_outcomes} == {
        "advice": 1,
        "complaint": 1,
        "": 1,
    }


def test_providers_at_the_end_of_a_past_year(activity):
    figures = annual.key_figures(activity - 1)

    # The delisted provider was still referenced then, the new one was a draft; the label was valid.
    assert figures.providers_referenced == 2
    assert figures.providers_new == 1  # the old one, referenced in June (no history: its date tells)
    assert figures.labels_valid == 1
    assert figures.requests == 0 and figures.interventions == 0


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF: its streams, decoded (reportlab writes them in ASCII85 over Flate)."""
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            parts.append(zlib.decompress(base64.a85decode(stream.strip(), adobe=True)).decode("latin-1"))
        except (ValueError, zlib.error):
            continue  # fonts, images: no text of ours
    return "".join(parts)


def test_the_pdf_has_the_year_and_the_internal_note(last_year_journeys):
    content = annual_pdf.render_pdf(annual.key_figures(last_year_journeys))
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert f"bilan annuel {last_year_journeys}" in text
    assert "Document interne" in text
    assert "Hame" in text  # the top threats are printed


def test_the_command_writes_both_files(last_year_journeys, tmp_path):
    page, pdf = tmp_path / "bilan.html", tmp_path / "bilan.pdf"

    output = io.StringIO()
    call_command("annual_report", str(last_year_journeys), html=str(page), pdf=str(pdf), stdout=output)

    html = page.read_text()
    assert f"<h1>Cyberaide – Bilan annuel {last_year_journeys}</h1>" in html
    assert annual.INTERNAL_NOTE.replace("'", "&#x27;") in html
    assert "<caption>Parcours terminés par mois</caption>" in html
    assert "<svg" in html  # the chart, drawn inline
    assert not re.search(r"<link|<script|src=|url\(|https?://(?!www\.w3\.org/2000/svg)", html)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"Bilan écrit dans {page}." in output.getvalue()


def test_the_command_prints_the_figures_without_option(last_year_journeys, capsys):
    call_command("annual_report", str(last_year_journeys))
    assert "Parcours terminés : 30" in capsys.readouterr().out


@pytest.mark.parametrize(("year", "message"), [("1850", "comprise entre 2000 et"), ("abc", "n'est pas valable")])
def test_the_command_refuses_a_bad_year(db, year, message):
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", year)


# ---- The back-office page ---------------------------------------------------------------------------------------


@pytest.fixture
def analyst():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_publishedmonth"), Permission.objects.get(codename="view_annual_report")
    )
    return user


def test_the_page_shows_the_report_to_staff_with_the_permission(client, verified_login, analyst, last_year_journeys):
    verified_login(client, analyst)
    url = reverse("admin:observatory_publishedmonth_annual")

    response = client.get(url, {"annee": last_year_journeys})

    assert response.status_code == 200
    page = text_of(response)
    assert f"Bilan annuel {last_year_journeys}" in page
    assert annual.INTERNAL_NOTE in page
    assert "<caption>Parcours terminés par public</caption>" in page
    assert '<th scope="row">Particuliers</th><td>24</td>' in page
    assert f'<option value="{last_year_journeys}" selected>' in page
    pdf_url = reverse("admin:observatory_publishedmonth_annual_pdf")
    assert f'href="{pdf_url}?annee={last_year_journeys}">Télécharger en PDF</a>' in page
    # Without a year, the last complete year with data.
    assert f'<option value="{last_year_journeys}" selected>' in text_of(client.get(url))

    download = client.get(pdf_url, {"annee": last_year_journeys})
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert f"cyberaide-bilan-{last_year_journeys}.pdf" in download["Content-Disposition"]


def test_the_published_months_list_links_to_the_report(client, verified_login, analyst):
    verified_login(client, analyst)
    page = text_of(client.get(reverse("admin:observatory_publishedmonth_changelist")))
    assert f'href="{reverse("admin:observatory_publishedmonth_annual")}">Bilan annuel</a>' in page


@pytest.mark.parametrize(
    "name", ["admin:observatory_publishedmonth_annual", "admin:observatory_publishedmonth_annual_pdf"]
)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "name", ["admin:observatory_publishedmonth_annual", "admin:observatory_publishedmonth_annual_pdf"]
)
def test_staff_without_the_permission_are_refused(client, verified_login, name):
    """Seeing the published months is not enough: the report's figures are exact."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_publishedmonth"))
    verified_login(client, user)
    assert client.get(reverse(name)).status_code == 403


def test_staff_without_the_second_factor_are_sent_to_sign_in(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("admin:observatory_publishedmonth_annual"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("year", "message"),
    [("abc", "L'année demandée n'est pas valable"), ("1850", "L'année doit être comprise entre 2000 et")],
)
@pytest.mark.parametrize(
    "name", ["admin:observatory_publishedmonth_annual", "admin:observatory_publishedmonth_annual_pdf"]
)
def test_a_bad_year_is_explained_with_status_400(client, verified_login, analyst, name, year, message):
    verified_login(client, analyst)
    response = client.get(reverse(name), {"annee": year})
    assert response.status_code == 400
    assert message in text_of(response)
    assert "Télécharger en PDF" not in text_of(response)
