"""Monthly publication: which months, frozen once published, and statistical secrecy across every table."""

from collections import defaultdict
from datetime import date

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cyberaide.core.audiences import Audience
from cyberaide.core.geography import REGION_OF_DEPARTEMENT, REGIONS
from cyberaide.observatory import publication, rollups
from cyberaide.observatory.disclosure import Status
from cyberaide.observatory.models import NOT_FOUND, JourneyDay, PublishedCell, PublishedMonth
from cyberaide.observatory.publication import ALL

from .helpers import journeys, save
from .test_disclosure import possible_values

JANUARY = date(2026, 1, 1)


def cells(month=JANUARY):
    return {
        (cell.audience, cell.dimension, cell.code): (cell.value, cell.status)
        for cell in PublishedCell.objects.filter(month__month=month)
    }


@pytest.mark.django_db
def test_a_month_is_published_once_complete_and_its_delay_passed(taxonomy):
    save(journeys(date(2026, 1, 20), 30), journeys(date(2026, 2, 3), 30), journeys(date(2026, 3, 31), 30))
    rollups.rebuild()

    assert publication.publish(today=date(2026, 2, 7)) == []
    assert publication.publish(today=date(2026, 2, 8)) == [JANUARY]
    assert publication.publish(today=date(2026, 4, 8)) == [date(2026, 2, 1), date(2026, 3, 1)]
    assert list(PublishedMonth.objects.values_list("month", flat=True)) == [
        JANUARY,
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]


@pytest.mark.django_db
def test_a_published_month_never_changes_even_when_republished(taxonomy):
    save(journeys(date(2026, 1, 20), 30))
    rollups.rebuild()
    publication.publish(today=date(2026, 3, 1))
    before = cells()

    save(journeys(date(2026, 1, 21), 15))  # a late change: nobody learns anything by comparing two days
    rollups.refresh()
    publication.publish(today=date(2026, 3, 2))
    assert cells() == before
    assert before[(ALL, "total", "")] == (30, Status.PUBLISHED)

    # Republished (after a change of threshold, say): from the counts frozen at first, not the late journeys.
    publication.publish(today=date(2026, 3, 2), republish=True)
    assert cells() == before


@pytest.mark.django_db
def test_every_incident_type_of_an_audience_has_a_cell_and_out_of_scope_is_left_out(taxonomy):
    from cyberaide.diagnostic.models import IncidentType, JourneyRecord

    save(
        journeys(date(2026, 1, 5), 40),
        journeys(date(2026, 1, 5), 25, outcome=JourneyRecord.OutcomeKind.NOT_FOUND),
        *(journeys(date(2026, 1, 5), 15, audience=audience) for audience in ("entreprise", "association")),
        journeys(date(2026, 1, 5), 12, audience="collectivite"),
        journeys(date(2026, 1, 5), 30, audience="collectivite", outcome=JourneyRecord.OutcomeKind.OUT_OF_SCOPE),
    )
    rollups.rebuild()
    publication.publish_month(JANUARY)

    published = cells()
    expected = {
        code for code, audiences in IncidentType.objects.values_list("code", "audiences") if "particulier" in audiences
    }
    assert {
        code for audience, dimension, code in published if (audience, dimension) == ("particulier", "incident")
    } == {
        *expected,
        NOT_FOUND,
    }
    assert published[("particulier", "incident", NOT_FOUND)] == (None, Status.SECRET)  # hides the zeros
    assert published[("particulier", "incident", "phishing")] == (40, Status.PUBLISHED)
    # Twelve collectivités, all for phishing: publishing their total would say the other types are empty.
    assert published[("collectivite", "total", "")] == (None, Status.SECRET)
    assert not any(key[:2] == ("collectivite", "incident") for key in published)
    assert published[(ALL, "total", "")] == (107, Status.PUBLISHED)  # out of scope is not counted


@pytest.mark.django_db
def test_serious_situations_are_published_under_statistical_secrecy(taxonomy):
    save(
        journeys(date(2026, 1, 5), 40, severity="critical", chat=True),
        journeys(date(2026, 1, 5), 60, severity="low"),
        journeys(date(2026, 1, 6), 30, audience="entreprise", severity="critical"),
        journeys(date(2026, 1, 6), 3, audience="entreprise", severity="high"),
    )
    rollups.rebuild()
    publication.publish_month(JANUARY)
    published = cells()
    assert published[("particulier", "situation-grave", "oui")] == (40, Status.PUBLISHED)
    assert published[("particulier", "situation-grave", "non")] == (60, Status.PUBLISHED)
    # Three companies whose situation was not serious: too few to publish, and their complement hidden with them.
    assert published.get(("entreprise", "situation-grave", "non"), (None,))[0] is None
    assert published.get(("entreprise", "situation-grave", "oui"), (None,))[0] is None


@pytest.mark.django_db
def test_the_difference_attack_on_audience_totals(taxonomy):
    """All audiences 200, particuliers 150, entreprises 35, associations 12, collectivités 3: if only the 3 were
    hidden, 200 − 150 − 35 − 12 would give it back; hiding the associations too would not be enough either."""
    day = date(2026, 1, 14)
    save(
        journeys(day, 150),
        journeys(day, 35, audience="entreprise"),
        journeys(day, 12, audience="association"),
        journeys(day, 3, audience="collectivite"),
    )
    rollups.rebuild()
    publication.publish_month(JANUARY)

    published = cells()
    totals = {audience: published[(audience, "total", "")] for audience in Audience.values}
    assert published[(ALL, "total", "")] == (200, Status.PUBLISHED)
    assert totals["collectivite"] == (None, Status.SMALL)
    values = {"particulier": 150, "entreprise": 35, "association": 12, "collectivite": 3}
    statuses = {audience: status for audience, (_, status) in totals.items()}
    assert possible_values(values, statuses, "collectivite") == set(range(11))
    # An audience hidden whole publishes nothing that would add up to its total.
    hidden = [audience for audience, status in statuses.items() if status != Status.PUBLISHED]
    for audience in hidden:
        assert {dimension for cell_audience, dimension, _ in published if cell_audience == audience} == {
            "total",
            "interventions",
        }


@pytest.mark.django_db
def test_a_month_too_small_or_impossible_to_protect_is_withheld_whole(taxonomy):
    """Four audiences of 9 each: whatever is hidden, the total of 36 would tell each is at least 6."""
    day = date(2026, 1, 14)
    save(*(journeys(day, 9, audience=audience) for audience in Audience.values))
    rollups.rebuild()

    month = publication.publish_month(JANUARY)

    assert month.withheld
    assert cells() == {}


def relations_of(published: dict, counts: publication.MonthCounts) -> list[tuple[str, dict, dict[str, Status]]]:
    """Every relation of a month as published: (the status of its total, the true counts, the cells' statuses)."""
    groups: dict[tuple[str, str], dict[str, Status]] = defaultdict(dict)
    for (audience, dimension, code), (_, status) in published.items():
        if dimension == "departement":
            groups[(ALL, f"departement-{REGION_OF_DEPARTEMENT[code]}")][code] = status
        elif dimension == "total" and audience != ALL:
            groups[(ALL, "audiences")][audience] = status
        elif dimension not in ("total", "interventions"):
            groups[(audience, dimension)][code] = status
    found = []
    for (audience, dimension), statuses in groups.items():
        if dimension.startswith("departement-"):
            region = dimension.removeprefix("departement-")
            total, values = published[(ALL, "region", region)], counts.departements[region]
        elif dimension == "intervention-issue":
            total, values = published[(audience, "interventions", "")], counts.relations[(audience, dimension)]
        elif dimension == "audiences":
            total, values = published[(ALL, "total", "")], counts.totals
        elif dimension == "region":
            total, values = published[(ALL, "total", "")], counts.regions
        elif dimension == "canal":
            total, values = published[(ALL, "total", "")], counts.channels
        else:
            total, values = published[(audience, "total", "")], counts.relations[(audience, dimension)]
        assert set(statuses) == set(values), "a relation is published whole or not at all"
        found.append((total[1], values, statuses))
    return found


audience_counts = st.fixed_dictionaries(
    {
        audience: st.dictionaries(
            st.sampled_from(["phishing", "account_hacking", "ransomware", "ceo_fraud", NOT_FOUND]),
            st.integers(0, 60),
            max_size=4,
        )
        for audience in Audience.values
    }
)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    audience_counts,
    st.lists(st.sampled_from(["", "69", "01", "38", "13", "2A", "2B", "974", "75"]), min_size=1, max_size=6),
    st.integers(0, 1000),
)
def test_every_relation_of_a_month_is_protected(taxonomy, counts, departements, seed):
    """Random months: for every relation whose total is public, the hidden cells keep each small cell within
    "0 to 10"; when the total is hidden, nothing of the relation is published."""
    JourneyDay.objects.all().delete()
    PublishedMonth.objects.all().delete()
    rows = []
    for audience, incidents in counts.items():
        for position, (incident, journeys_count) in enumerate(sorted(incidents.items())):
            if journeys_count:
                rows.append(
                    JourneyDay(
                        day=date(2026, 1, 1 + position),
                        incident=incident,
                        audience=audience,
                        departement=departements[(seed + position) % len(departements)],
                        channel=["site", "partenaire", "api"][(seed + position) % 3],
                        journeys=journeys_count,
                        to_provider=journeys_count // 3,
                        to_chat=journeys_count % 7,
                        to_complaint=journeys_count % 3,
                    )
                )
    JourneyDay.objects.bulk_create(rows)

    publication.publish_month(JANUARY)

    counts = publication.MonthCounts.read(JANUARY)
    for total_status, values, statuses in relations_of(cells(), counts):
        if total_status != Status.PUBLISHED:
            assert Status.PUBLISHED not in statuses.values()
            continue
        small = [code for code, status in statuses.items() if status == Status.SMALL]
        if small:  # small cells are alike: what holds for one holds for all
            assert possible_values(values, statuses, small[0]) == set(range(11)), (values, statuses)


@pytest.mark.django_db
def test_regions_and_departements(taxonomy):
    """Regions against the total, the départements of a published region against it; a hidden region publishes
    none of its départements."""
    day = date(2026, 1, 9)
    save(
        journeys(day, 200),
        journeys(day, 60, departement="69"),
        journeys(day, 40, departement="38"),
        journeys(day, 4, departement="01"),
        journeys(day, 30, departement="2A"),
    )
    rollups.rebuild()
    publication.publish_month(JANUARY)

    published = cells()
    assert published[(ALL, "region", "inconnu")] == (200, Status.PUBLISHED)
    assert published[(ALL, "region", "84")] == (104, Status.PUBLISHED)  # Auvergne-Rhône-Alpes
    assert published[(ALL, "region", "94")] == (None, Status.SECRET)  # Corse: hides the empty regions
    assert published[(ALL, "departement", "69")] == (60, Status.PUBLISHED)
    assert published[(ALL, "departement", "01")] == (None, Status.SMALL)
    assert published[(ALL, "departement", "38")] == (None, Status.SECRET)
    assert (ALL, "departement", "2A") not in published
    assert set(REGIONS) <= {code for _, dimension, code in published if dimension == "region"}


@pytest.mark.django_db
@override_settings(OBSERVATORY_THRESHOLD=5)
def test_the_threshold_is_a_setting(taxonomy):
    save(journeys(date(2026, 1, 9), 9))
    rollups.rebuild()

    month = publication.publish_month(JANUARY)

    assert (month.threshold, month.withheld) == (5, False)  # with 11, nine journeys would withhold the month
    assert cells()[(ALL, "total", "")] == (9, Status.PUBLISHED)
    assert cells()[("entreprise", "total", "")] == (None, Status.SMALL)
