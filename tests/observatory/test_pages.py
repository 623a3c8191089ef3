"""The public observatory, its open-data files and the stats API: what they show, what they refuse, and that no
small count ever appears, whatever the filters."""

import csv
import html
import io
import json
import re
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from cyberaide.observatory import opendata, publication, rollups
from cyberaide.observatory.disclosure import Status

from .helpers import journeys, month_of_journeys, save

JANUARY, FEBRUARY, MARCH = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
def published(taxonomy):
    """Three published months: many particuliers, some entreprises and associations, 3 collectivités in January."""
    for month in (JANUARY, FEBRUARY, MARCH):
        save(*month_of_journeys(month))
    save(journeys(date(2026, 1, 11), 3, audience="collectivite", incident="ransomware", departement="2B"))
    rollups.rebuild()
    publication.publish(today=date(2026, 4, 20))


def text_of(response) -> str:
    page = re.sub(r"<svg.*?</svg>", " ", response.content.decode(), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))).replace("\u202f", " ")


def table_cells(response) -> list[str]:
    page = response.content.decode()
    return [
        html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", page, flags=re.S)
    ]


def overview(client, **filters):
    return client.get(reverse("observatory:overview"), filters)


@pytest.mark.django_db
def test_before_any_publication_the_page_says_when_figures_come(client, taxonomy):
    response = overview(client)

    assert response.status_code == 200
    assert "Les premières statistiques seront publiées" in text_of(response)


@pytest.mark.django_db
def test_the_page_shows_the_published_figures(client, published):
    response = overview(client)

    text = text_of(response)
    assert response.status_code == 200
    assert "de janvier à mars 2026, tous les publics" in text
    assert "Hameçonnage" in text and "Rançongiciel" in text
    assert response.content.decode().count("<svg") >= 4
    assert response.content.decode().count("<table") >= 6
    # Each chart is an image named by its title and followed by the same figures in a table.
    assert 'role="img"' in response.content.decode()
    assert "Auvergne-Rhône-Alpes" in text
    assert "< 11" in text  # sextortion, collectivités


@pytest.mark.django_db
def test_period_and_audience_filters(client, published):
    response = overview(client, debut="2026-02", fin="2026-02", public="entreprise")

    text = text_of(response)
    assert response.status_code == 200
    assert "86 parcours terminés en février 2026, entreprises" in text
    assert "Particuliers" not in text.split("Les menaces les plus fréquentes")[1].split("Par région")[0]
    assert "n'est publiée que tous publics confondus" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"public": "pirate"}, "Ce public n'existe pas"),
        ({"debut": "2019-01"}, "Choisissez un mois publié, de janvier 2026 à mars 2026."),
        ({"debut": "2026-03", "fin": "2026-01"}, "Le mois de fin doit venir après le mois de début"),
        ({"debut": "0000-00", "fin": "9999-99"}, "Choisissez un mois publié"),
        ({"debut": "x" * 5000}, "Choisissez un mois publié"),
        ({"public": "collectivite' OR 1=1 --"}, "Ce public n'existe pas"),
    ],
)
def test_bad_filters_are_refused_clearly(client, published, filters, message):
    response = overview(client, **filters)

    assert response.status_code == 400
    assert message in text_of(response)
    assert "parcours terminés" not in text_of(response)


@pytest.mark.django_db
def test_unknown_parameters_are_ignored(client, published):
    assert overview(client, region="2B", departement="2B").status_code == 200


@pytest.mark.django_db
def test_no_small_count_appears_whatever_the_filters(client, published):
    """Stack every period and audience: a figure is either at least 11, a lower bound made of published cells, a
    share, or a mark ("< 11", "secret", "non publié"). The 3 collectivités never show."""
    months = ["2026-01", "2026-02", "2026-03"]
    for audience in ("tous", "particulier", "entreprise", "association", "collectivite"):
        for start in months:
            for end in months:
                if end < start:
                    continue
                response = overview(client, debut=start, fin=end, public=audience)
                assert response.status_code == 200
                for cell in table_cells(response):
                    cell = cell.replace("\u202f", "").replace("\xa0", " ")
                    if cell.endswith("%") or not re.search(r"\d", cell):
                        continue
                    number = int(re.sub(r"\D", "", cell))
                    assert number >= 11, (audience, start, end, cell)


@pytest.mark.django_db
def test_the_page_reads_published_cells_in_a_few_queries(client, published, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert overview(client).status_code == 200


# Open data.


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def check_against_schema(rows: list[dict]) -> None:
    """Every row follows the published Table Schema."""
    fields = {field["name"]: field for field in opendata.SCHEMA["fields"]}
    keys = set()
    for row in rows:
        assert list(row) == list(fields)
        for name, field in fields.items():
            value = row[name]
            constraints = field.get("constraints", {})
            if constraints.get("required"):
                assert value not in ("", None), (name, row)
            if "enum" in constraints and value not in ("", None):
                assert value in constraints["enum"], (name, row)
        assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", row["mois"])
        if row["diffusion"] == Status.PUBLISHED:
            assert int(row["valeur"]) >= fields["valeur"]["constraints"]["minimum"]
        else:
            assert row["valeur"] in ("", None)
        key = tuple(row[name] for name in opendata.SCHEMA["primaryKey"])
        assert key not in keys
        keys.add(key)


@pytest.mark.django_db
def test_the_csv_holds_every_published_cell_and_follows_its_schema(client, published):
    response = client.get(reverse("observatory:cells_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    check_against_schema(rows)
    assert {row["mois"] for row in rows} == {"2026-01", "2026-02", "2026-03"}
    total = next(row for row in rows if (row["mois"], row["public"], row["dimension"]) == ("2026-01", "tous", "total"))
    assert total["valeur"] == "238"
    collectivites = [row for row in rows if row["public"] == "collectivite" and row["mois"] == "2026-01"]
    assert all(row["valeur"] == "" for row in collectivites)


@pytest.mark.django_db
def test_the_csv_can_be_filtered_like_the_page(client, published):
    response = client.get(
        reverse("observatory:cells_csv"), {"debut": "2026-02", "fin": "2026-03", "public": "entreprise"}
    )

    rows = csv_rows(response)
    assert rows
    assert {row["mois"] for row in rows} == {"2026-02", "2026-03"}
    assert {row["public"] for row in rows} == {"entreprise"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"debut": "janvier"}, "Le mois de début s'écrit AAAA-MM"),
        ({"fin": "2026-13"}, "Le mois de fin s'écrit AAAA-MM"),
        ({"debut": "2026-03", "fin": "2025-01"}, "Le mois de fin doit venir après"),
        ({"public": "tout"}, "Public inconnu"),
    ],
)
def test_bad_download_filters_get_a_clear_400(client, published, filters, message):
    for name in ("observatory:cells_csv", "observatory:cells_json"):
        response = client.get(reverse(name), filters)
        assert response.status_code == 400
        assert message in response.content.decode()


@pytest.mark.django_db
def test_the_json_file_carries_the_licence_the_schema_and_the_same_rows(client, published):
    document = json.loads(client.get(reverse("observatory:cells_json")).content)
    rows = csv_rows(client.get(reverse("observatory:cells_csv")))

    assert document["licence"]["name"] == "etalab-2.0"
    assert document["schema"] == json.loads(client.get(reverse("observatory:schema")).content)
    assert len(document["donnees"]) == len(rows)
    check_against_schema(
        [{key: "" if value is None else str(value) for key, value in row.items()} for row in document["donnees"]]
    )


@pytest.mark.django_db
def test_the_open_data_page_describes_the_files(client, published):
    response = client.get(reverse("observatory:open_data"))

    text = text_of(response)
    assert response.status_code == 200
    assert "3 mois, de janvier 2026 à mars 2026" in text
    assert "Licence Ouverte" in text
    for field in opendata.FIELDS:
        assert field in text


# The API.


@pytest.mark.django_db
def test_the_api_lists_months_and_serves_the_same_cells(client, published):
    months = client.get("/api/v1/stats/months").json()
    cells = client.get("/api/v1/stats/cells", {"debut": "2026-01", "fin": "2026-01", "dimension": "incident"}).json()

    assert [month["mois"] for month in months] == ["2026-01", "2026-02", "2026-03"]
    assert cells["licence"]["name"] == "etalab-2.0"
    assert {row["dimension"] for row in cells["donnees"]} == {"incident"}
    phishing = next(row for row in cells["donnees"] if (row["public"], row["code"]) == ("particulier", "phishing"))
    assert (phishing["valeur"], phishing["diffusion"]) == (60, "publie")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"debut": "2026-1"}, 400, "invalid_filter"),
        ({"debut": "2026-05", "fin": "2026-01"}, 400, "invalid_filter"),
        ({"public": "robots"}, 400, "invalid_filter"),
        ({"dimension": "nom"}, 422, "invalid_request"),
    ],
)
def test_the_api_refuses_bad_filters(client, published, query, status, code):
    response = client.get("/api/v1/stats/cells", query)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.django_db
def test_the_stats_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"/api/v1/stats/months", "/api/v1/stats/cells"} <= set(paths)


@pytest.mark.django_db
def test_the_figures_are_drawn_once_and_a_new_publication_shows_at_once(
    client, published, django_assert_max_num_queries
):
    overview(client, debut="2026-01", fin="2026-03")
    with django_assert_max_num_queries(2):  # the published months, and the alert banner at most
        assert "708 parcours terminés de janvier à mars 2026" in text_of(
            overview(client, debut="2026-01", fin="2026-03")
        )

    save(*month_of_journeys(date(2026, 4, 1)))
    rollups.refresh()
    publication.publish(today=date(2026, 5, 20))

    assert "de janvier à avril 2026" in text_of(overview(client))


@pytest.mark.django_db
@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_OBSERVATORY="2/600")
def test_a_robot_asking_for_every_period_is_slowed_down(client, published):
    address = {"REMOTE_ADDR": "198.51.100.23"}
    for start in ("2026-01", "2026-02"):
        assert (
            client.get(reverse("observatory:overview"), {"debut": start, "fin": "2026-03"}, **address).status_code
            == 200
        )

    refused = client.get(reverse("observatory:overview"), {"debut": "2026-03", "fin": "2026-03"}, **address)
    again = client.get(reverse("observatory:overview"), {"debut": "2026-01", "fin": "2026-03"}, **address)

    assert refused.status_code == 429
    assert "Trop de demandes depuis votre connexion" in text_of(refused)
    assert again.status_code == 200  # figures already drawn cost nothing
