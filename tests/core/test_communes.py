import csv
import gzip
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.core import communes
from cyberaide.core.geography import DEPARTEMENTS

# The shipped table, read here independently of the module under test.
with gzip.open(communes.DATA_FILE, "rt", encoding="utf-8", newline="") as _file:
    ROWS = list(csv.DictReader(_file))

DEPARTEMENTS_OF_POSTCODE = defaultdict(set)
for _row in ROWS:
    DEPARTEMENTS_OF_POSTCODE[_row["postcode"]].add(_row["departement"])


def test_the_table_has_every_commune_once_per_postcode():
    assert list(ROWS[0]) == communes.COLUMNS
    assert len({(row["postcode"], row["insee_code"]) for row in ROWS}) == len(ROWS)
    assert 34_000 < len({row["insee_code"] for row in ROWS}) < 36_000
    assert 6_000 < len(DEPARTEMENTS_OF_POSTCODE) < 7_000


def test_paris():
    (paris,) = communes.communes_for_postcode("75001")
    assert (paris.insee_code, paris.name, paris.departement) == ("75056", "Paris", "75")
    assert "75116" in paris.postcodes and paris.population > 2_000_000
    assert communes.communes_for_postcode(" 75 001 ") == [paris]
    assert communes.commune_by_code("75056") == paris


def test_ajaccio_is_in_corse_du_sud():
    ajaccio = communes.communes_for_postcode("20000")[0]
    assert (ajaccio.name, ajaccio.departement) == ("Ajaccio", "2A")
    assert communes.commune_by_code("2a004") == ajaccio
    assert communes.departement_of_postcode("20000") == "2A"


def test_saint_denis_de_la_reunion():
    saint_denis = communes.communes_for_postcode("97400")[0]
    assert (saint_denis.name, saint_denis.departement) == ("Saint-Denis", "974")
    assert saint_denis.lat < -20 and saint_denis.lon > 55


def test_a_postcode_spanning_two_departements_gives_communes_of_both():
    spanning = sorted(postcode for postcode, found in DEPARTEMENTS_OF_POSTCODE.items() if len(found) > 1)
    assert "05110" in spanning
    for postcode in spanning:
        found = communes.communes_for_postcode(postcode)
        assert {commune.departement for commune in found} == DEPARTEMENTS_OF_POSTCODE[postcode]
    assert {commune.departement for commune in communes.communes_for_postcode("05110")} == {"04", "05"}
    assert communes.departement_of_postcode("05110") == "05"  # La Saulce, the largest


@pytest.mark.parametrize("postcode", ["00000", "abc", "", "7500", "750011", "75-001", "７５００１"])
def test_unknown_or_malformed_postcodes(postcode):
    assert communes.communes_for_postcode(postcode) == []
    assert not communes.is_valid_postcode(postcode)
    assert communes.departement_of_postcode(postcode) is None


def test_valid_postcodes():
    assert communes.is_valid_postcode("75001") and communes.is_valid_postcode("97400")
    assert communes.commune_by_code("99999") is None


@pytest.mark.parametrize("text", ["st etienne", "saint etienne", "St-Étienne", "SAINT-ÉTIENNE", "Saint Etienne"])
def test_search_finds_saint_etienne(text):
    first = communes.search(text)[0]
    assert (first.insee_code, first.name, first.departement) == ("42218", "Saint-Étienne", "42")


def test_search_by_name_then_population():
    found = communes.search("saint", limit=20)
    assert len(found) == 20
    assert [commune.population for commune in found] == sorted((c.population for c in found), reverse=True)
    assert communes.search("lyon", limit=3)[0].name == "Lyon"
    # Contains, after starts-with: Sainte-Foy-lès-Lyon comes after Lyon and Lyons-la-Forêt.
    assert "Sainte-Foy-lès-Lyon" in [commune.name for commune in communes.search("lyon")]
    assert communes.search("42000")[0].name == "Saint-Étienne"
    assert communes.search("") == [] and communes.search("lyon", limit=0) == []
    assert communes.search("zzzzzz") == []


@pytest.mark.parametrize(
    "text, code",
    [
        ("69003 Lyon", "69123"),
        ("Lyon 69003", "69123"),
        ("Lyon", "69123"),
        ("69421 Lyon Cedex 03", "69123"),
        ("Lyon 3e", "69123"),
        ("75015", "75056"),
        ("05110 Claret", "04058"),
        ("Saint-Denis (93)", "93066"),
        ("97490 Saint-Denis", "97411"),
        ("Valence (82)", "82186"),
    ],
)
def test_resolve(text, code):
    assert communes.resolve(text).insee_code == code


@pytest.mark.parametrize("text", ["", "   ", "00000", "zzzzzz", "13 rue des Lilas"])
def test_resolve_nothing(text):
    assert communes.resolve(text) is None


def test_distance_paris_lyon():
    paris, lyon = communes.resolve("Paris"), communes.resolve("Lyon")
    assert 380 < communes.distance_km(paris.lat, paris.lon, lyon.lat, lyon.lon) < 400
    assert communes.distance_km(lyon.lat, lyon.lon, paris.lat, paris.lon) == pytest.approx(
        communes.distance_km(paris.lat, paris.lon, lyon.lat, lyon.lon)
    )
    assert communes.distance_km(paris.lat, paris.lon, paris.lat, paris.lon) == 0


def test_every_departement_has_communes():
    present = {row["departement"] for row in ROWS}
    assert set(DEPARTEMENTS) <= present


def test_metropolitan_coordinates_are_in_metropolitan_france():
    for row in ROWS:
        if len(row["departement"]) == 2:
            assert 41.3 < float(row["lat"]) < 51.1 and -5.2 < float(row["lon"]) < 9.6, row


@settings(max_examples=300)
@given(st.sampled_from(ROWS))
def test_every_row_is_found_by_its_postcode(row):
    found = communes.communes_for_postcode(row["postcode"])
    assert row["insee_code"] in [commune.insee_code for commune in found]
    assert [commune.population for commune in found] == sorted((c.population for c in found), reverse=True)
    commune = communes.commune_by_code(row["insee_code"])
    assert commune.name == row["name"] and row["postcode"] in commune.postcodes
