"""Reports, rules, listings, contests, expiry and imports: an indicator is listed only by staff or a staff rule met
by independent sources, every end is journaled for the browsers, and bad input changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from cyberaide.antiscam import filterlist, services
from cyberaide.antiscam.canonical import canonical_url, expression_hash, url_expressions
from cyberaide.antiscam.extract import classify_single
from cyberaide.antiscam.models import (
    Contest,
    FilterChange,
    Indicator,
    Kind,
    Listing,
    ListingRule,
    Report,
    TrustedDomain,
)
from cyberaide.core.errors import UserError

pytestmark = pytest.mark.django_db


def found(*texts):
    return [classify_single(text) for text in texts]


def report(text, *, network, incident="phishing"):
    return services.record_reports(found=found(text), incident_code=incident, source=services.source_key(network))


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("moderatrice", "moderatrice@cyberaide.example", "x", is_staff=True)


@pytest.fixture
def site_rule():
    return ListingRule.objects.create(
        name="Sites signalés par 3 sources en 7 jours",
        kind=Kind.SITE,
        min_sources=3,
        window_days=7,
        reason="Faux site signalé par plusieurs victimes.",
        duration_days=30,
        lists_lookalikes=True,
    )


def site(value):
    return Indicator.objects.get(kind=Kind.SITE, value=value)


def browser_prefixes():
    return set(filterlist.list_update(0).additions)


def prefix_of(expression):
    return expression_hash(expression)[:4].hex()


def test_a_report_counts_the_page_and_its_site_without_anything_about_the_victim():
    report("https://www.ameli-remboursement.fr/dossier?utm_source=sms&id=4", network="203.0.113.7")
    page = Indicator.objects.get(kind=Kind.URL)
    # The query is left out: it often carries the victim's own e-mail address or customer number.
    assert page.value == "https://www.ameli-remboursement.fr/dossier"
    assert site("ameli-remboursement.fr").report_count == 1
    stored = Report.objects.get(indicator=page)
    assert stored.incident_code == "phishing"
    assert timezone.localtime(stored.reported_at).time().isoformat() == "00:00:00"
    assert "203.0.113" not in stored.source_key and len(stored.source_key) == 32
    assert not Listing.objects.exists()


def test_a_shortened_link_is_counted_as_a_page_only():
    report("https://bit.ly/3xYzAbc", network="203.0.113.7")
    assert list(Indicator.objects.values_list("kind", flat=True)) == [Kind.URL]


def test_a_rule_restricted_to_look_alikes_lists_one_once_enough_independent_networks_reported_it(site_rule):
    for network in ("203.0.113.7", "198.51.100.4"):
        report("suivi-chronopost-frais.info/payer", network=network)
    assert not Listing.objects.exists()
    report("http://suivi-chronopost-frais.info/autre-page", network="192.0.2.9")
    listing = Listing.objects.get()
    assert listing.indicator == site("suivi-chronopost-frais.info")
    assert listing.origin == Listing.Origin.RULE and listing.rule == site_rule
    assert listing.expression == "suivi-chronopost-frais.info/"
    assert prefix_of("suivi-chronopost-frais.info/") in browser_prefixes()
    assert site("suivi-chronopost-frais.info").proposed_at is None


def test_a_site_that_imitates_no_brand_is_only_proposed_to_staff(site_rule):
    for network in ("203.0.113.7", "198.51.100.4", "192.0.2.9"):
        report("colis-frais-douane.info/payer", network=network)
    assert not Listing.objects.exists() and not browser_prefixes()
    indicator = site("colis-frais-douane.info")
    assert indicator.proposed_at is not None and indicator.proposed_by == site_rule


def test_a_flood_from_one_network_never_meets_the_rule(site_rule):
    for last in range(1, 200):
        report("https://banque-legitime.fr/", network=f"203.0.113.{last}")
    indicator = site("banque-legitime.fr")
    assert indicator.report_count == 199
    assert indicator.source_count == 1
    assert not Listing.objects.exists()
    assert FilterChange.objects.count() == 0


def test_reports_outside_the_rule_window_do_not_count(site_rule):
    for network in ("203.0.113.7", "198.51.100.4"):
        report("vieux-phishing.info/x", network=network)
    Report.objects.update(reported_at=timezone.now() - timedelta(days=8))
    report("vieux-phishing.info/x", network="192.0.2.9")
    assert not Listing.objects.exists()


def test_a_trusted_domain_is_never_listed_by_a_rule_nor_whole_by_staff(site_rule, staff):
    TrustedDomain.objects.create(domain="hebergeur-connu.fr")
    for network in ("203.0.113.7", "198.51.100.4", "192.0.2.9"):
        report("https://hebergeur-connu.fr/page-piege", network=network)
    assert not Listing.objects.exists()
    with pytest.raises(UserError, match="domaine de confiance"):
        services.list_indicator(
            indicator=site("hebergeur-connu.fr"),
            category="phishing",
            reason="x",
            expires_at=timezone.now() + timedelta(days=1),
            origin=Listing.Origin.STAFF,
            by=staff,
        )
    # The precise page can be listed.
    page = Indicator.objects.get(kind=Kind.URL)
    listing = services.list_indicator(
        indicator=page,
        category="phishing",
        reason="Page piégée sur un hébergeur.",
        expires_at=timezone.now() + timedelta(days=1),
        origin=Listing.Origin.STAFF,
        by=staff,
    )
    assert listing.expression == "hebergeur-connu.fr/page-piege"


def test_an_official_brand_domain_is_trusted_without_any_setting(site_rule):
    for network in ("203.0.113.7", "198.51.100.4", "192.0.2.9"):
        report("https://www.ameli.fr/assure", network=network)
    assert site("ameli.fr").source_count == 3
    assert not Listing.objects.exists()


def listed(value, staff, days=30, kind=Kind.SITE):
    indicator = services.get_or_create_indicator(services.IndicatorValue(kind, value, value))
    return services.list_indicator(
        indicator=indicator,
        category="phishing",
        reason="Faux site de paiement d'amende.",
        expires_at=timezone.now() + timedelta(days=days),
        origin=Listing.Origin.STAFF,
        by=staff,
    )


def test_a_staff_listing_needs_a_reason_and_a_future_expiry(staff):
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, "amende-antai.info", "amende"))
    for reason, expires_at, message in [
        ("  ", timezone.now() + timedelta(days=1), "raison"),
        ("Faux site", timezone.now() - timedelta(seconds=1), "futur"),
    ]:
        with pytest.raises(UserError, match=message):
            services.list_indicator(
                indicator=indicator,
                category="phishing",
                reason=reason,
                expires_at=expires_at,
                origin=Listing.Origin.STAFF,
                by=staff,
            )
    assert not Listing.objects.exists() and not FilterChange.objects.exists()


def test_listing_twice_is_refused(staff):
    listed("amende-antai.info", staff)
    with pytest.raises(UserError, match="déjà sur la liste"):
        listed("amende-antai.info", staff)
    assert Listing.objects.count() == 1


def test_lift_renew_and_expiry_are_journaled_for_browsers(staff):
    listing = listed("amende-antai.info", staff)
    version = filterlist.list_update(0).version
    prefix = prefix_of("amende-antai.info/")
    assert prefix in browser_prefixes()

    services.renew_listing(listing, expires_at=timezone.now() + timedelta(days=90))
    assert filterlist.list_update(0).version == version  # the set did not change

    services.lift_listing(listing, by=staff, reason="Site nettoyé par son propriétaire.")
    update = filterlist.list_update(version)
    assert update.removals == [prefix] and not update.full
    assert prefix not in browser_prefixes()
    with pytest.raises(UserError, match="déjà terminée"):
        services.lift_listing(listing, by=staff, reason="encore")

    again = listed("amende-antai.info", staff, days=1)
    Listing.objects.filter(pk=again.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    # Past its expiry a listing is matched nowhere, even before the periodic job closes it.
    assert filterlist.matches([bytes.fromhex(prefix)]) == []
    assert services.expire_listings() == 1
    again.refresh_from_db()
    assert again.status == Listing.Status.EXPIRED
    assert prefix not in browser_prefixes()


def test_the_same_hash_leaves_the_list_only_with_its_last_listing(staff):
    first = listed("faux-placement.io", staff)
    page = services.get_or_create_indicator(
        services.IndicatorValue(Kind.URL, "https://faux-placement.io/", "faux-placement.io")
    )
    second = services.list_indicator(
        indicator=page,
        category="investment",
        reason="Faux placement",
        expires_at=timezone.now() + timedelta(days=3),
        origin=Listing.Origin.IMPORT,
    )
    assert first.full_hash == second.full_hash
    assert FilterChange.objects.filter(added=True).count() == 1
    services.lift_listing(first, by=staff, reason="erreur")
    assert prefix_of("faux-placement.io/") in browser_prefixes()
    services.lift_listing(second, by=staff, reason="erreur")
    assert prefix_of("faux-placement.io/") not in browser_prefixes()


def test_a_listed_site_matches_every_page_and_subdomain_of_it(staff):
    listed("amende-antai.info", staff)
    url = canonical_url("https://paiement.amende-antai.info/regler?dossier=88")
    prefixes = [expression_hash(expression)[:4] for expression in url_expressions(url)]
    assert [match.full_hash for match in filterlist.matches(prefixes)] == [expression_hash("amende-antai.info/").hex()]


def test_contest_life_cycle_upheld_lifts_and_mails(staff):
    listing = listed("boulangerie-martin.fr", staff)
    contest = services.submit_contest(
        address="https://www.boulangerie-martin.fr/",
        name="Boulangerie Martin",
        email="contact@example.fr",
        message="Notre site avait été piraté ; la fausse page est supprimée.",
    )
    assert contest.listing == listing and contest.status == Contest.Status.PENDING
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE  # the warning stays during the examination
    with pytest.raises(UserError, match="réponse envoyée"):
        services.decide_contest(contest, uphold=True, note=" ", by=staff)
    services.decide_contest(contest, uphold=True, note="Page supprimée, vérifiée.", by=staff)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LIFTED and "Contestation acceptée" in listing.end_reason
    with pytest.raises(UserError, match="déjà reçu une réponse"):
        services.decide_contest(contest, uphold=False, note="non", by=staff)


def test_contest_rejected_keeps_the_listing(staff, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    decider = get_user_model().objects.create_user("decideur", "decideur@cyberaide.example", "x", is_staff=True)
    decider.user_permissions.add(Permission.objects.get(codename="decide_contest"))
    listing = listed("boulangerie-martin.fr", staff)
    with django_capture_on_commit_callbacks(execute=True):
        contest = services.submit_contest(
            address="boulangerie-martin.fr", name="M", email="m@example.fr", message="Erreur"
        )
        services.decide_contest(contest, uphold=False, note="La fausse page est toujours en ligne.", by=staff)
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE
    assert [message.to for message in mail.outbox] == [
        ["m@example.fr"],
        ["decideur@cyberaide.example"],
        ["m@example.fr"],
    ]
    assert "/gestion/antiscam/contest/" in mail.outbox[1].body and "boulangerie-martin.fr" in mail.outbox[1].subject
    assert "toujours en ligne" in mail.outbox[2].body and "maintenue" in mail.outbox[2].body


def test_contest_of_an_address_not_listed_is_refused_and_nothing_stored():
    with pytest.raises(UserError, match="pas sur notre liste"):
        services.submit_contest(address="https://www.exemple-honnete.fr/", name="X", email="x@example.fr", message="m")
    assert not Contest.objects.exists()


def test_a_second_contest_from_the_same_address_is_merged_into_the_first(staff):
    listed("boulangerie-martin.fr", staff)
    first = services.submit_contest(address="boulangerie-martin.fr", name="A", email="a@example.fr", message="m1")
    again = services.submit_contest(address="boulangerie-martin.fr", name="A", email="A@example.fr", message="m2")
    assert again.pk == first.pk and Contest.objects.count() == 1
    first.refresh_from_db()
    assert first.message.startswith("m1") and first.message.endswith("m2")


def import_file(content, *, by, file_name="x.txt", **terms):
    """A partner's file imported by ``by``, with ordinary terms unless the test names others."""
    terms = {
        "source": "P",
        "category": "phishing",
        "reason": "r",
        "expires_at": timezone.now() + timedelta(days=1),
        **terms,
    }
    return services.import_list(content=content, file_name=file_name, by=by, **terms)


def test_import_lists_valid_lines_with_their_source_and_reports_the_rest(staff):
    TrustedDomain.objects.create(domain="hebergeur-connu.fr")
    listed("deja-liste.info", staff)
    content = (
        b"# liste du partenaire\n"
        b"faux-colis-express.info\n"
        b"https://hebergeur-connu.fr/\n"
        b"https://hebergeur-connu.fr/piege/connexion\n"
        b"deja-liste.info\n"
        b"pas une adresse !!\n"
        b"+33 1 99 00 12 34\n"
        b"FR76 3000 6000 0112 3456 7890 189\n"
    )
    batch = import_file(
        content,
        by=staff,
        file_name="partenaire.csv",
        source="Partenaire de démonstration",
        reason="Signalé par un partenaire.",
        expires_at=timezone.now() + timedelta(days=30),
    )
    assert batch.line_count == 7
    assert batch.listed_count == 4
    assert sorted(line["raison"] for line in batch.skipped) == sorted(
        ["déjà sur la liste", "domaine de confiance", "illisible"]
    )
    listings = Listing.objects.filter(batch=batch)
    assert {listing.indicator.kind for listing in listings} == {Kind.SITE, Kind.URL, Kind.PHONE, Kind.IBAN}
    assert all(listing.origin == Listing.Origin.IMPORT for listing in listings)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x00\x01\x02binaire", "pas un fichier texte"),
        ("é".encode("latin-1") + b"\n", "UTF-8"),
        (b"# rien\n\n", "aucune ligne"),
    ],
)
def test_a_bad_import_file_is_refused_and_nothing_listed(staff, content, message):
    with pytest.raises(UserError, match=message):
        import_file(content, by=staff)
    assert not Listing.objects.exists()


def test_source_keys_and_answered_contests_are_erased_after_their_retention(staff, settings):
    report("https://faux-site.info/", network="203.0.113.7")
    Report.objects.update(reported_at=timezone.now() - timedelta(days=settings.ANTISCAM_SOURCE_RETENTION_DAYS + 1))
    listed("boulangerie-martin.fr", staff)
    contest = services.submit_contest(address="boulangerie-martin.fr", name="A", email="a@example.fr", message="m")
    services.decide_contest(contest, uphold=False, note="n", by=staff)
    Contest.objects.update(decided_at=timezone.now() - timedelta(days=settings.ANTISCAM_CONTEST_RETENTION_DAYS + 1))
    assert services.erase_old_source_keys() == 2
    assert services.erase_old_contests() == 1
    assert set(Report.objects.values_list("source_key", flat=True)) == {""}
    contest.refresh_from_db()
    assert contest.email == "" and contest.name == ""


def test_a_rule_cannot_look_back_further_than_network_keys_are_kept(settings):
    from django.core.exceptions import ValidationError

    rule = ListingRule(name="r", kind=Kind.SITE, min_sources=5, window_days=31, reason="r")
    with pytest.raises(ValidationError, match="ne peut pas dépasser 30 jours"):
        rule.full_clean()
    rule.window_days, rule.min_sources = 7, 1
    with pytest.raises(ValidationError, match="au moins 2"):
        rule.full_clean()


@pytest.mark.parametrize("line", ["bit.ly", "https://bit.ly/", "https://docs.google.com/?usp=sharing", "www.ameli.fr"])
def test_an_import_never_lists_a_whole_trusted_host_or_shortener(staff, line):
    TrustedDomain.objects.create(domain="google.com")
    batch = import_file(line.encode(), by=staff)
    assert batch.listed_count == 0 and batch.skipped[0]["raison"] == "domaine de confiance"
    assert not FilterChange.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [({"reason": " "}, "raison"), ({"category": "nimporte"}, "catégorie"), ({"source": ""}, "source")],
)
def test_an_import_with_bad_settings_is_refused_before_anything_is_saved(staff, content, message):
    from cyberaide.antiscam.models import ImportBatch

    with pytest.raises(UserError, match=message):
        import_file(b"faux-colis.info\n", by=staff, **content)
    assert not ImportBatch.objects.exists() and not Listing.objects.exists()


def test_a_csv_import_reads_the_first_column_and_keeps_commas_inside_quotes(staff):
    content = b'adresse;commentaire\n"https://faux-shop.info/a,b";vu en juin\nfaux-colis.info;x\n'
    batch = import_file(content, by=staff, file_name="liste.csv", category="fake_shop")
    values = set(Listing.objects.filter(batch=batch).values_list("indicator__value", flat=True))
    assert values == {"https://faux-shop.info/a,b", "faux-colis.info"}


def test_a_contest_finds_the_listing_as_browsers_do(staff):
    page = services.get_or_create_indicator(
        services.IndicatorValue(Kind.URL, "https://sites.google.com/view/colis-demo/accueil", "page")
    )
    services.list_indicator(
        indicator=page,
        category="phishing",
        reason="Page piégée",
        expires_at=timezone.now() + timedelta(days=3),
        origin=Listing.Origin.STAFF,
    )
    contest = services.submit_contest(
        address="https://sites.google.com/view/colis-demo/accueil?authuser=0",
        name="A",
        email=" a@example.fr ",
        message="m",
    )
    assert contest.listing.indicator == page and contest.email == "a@example.fr"


def test_the_query_of_a_reported_link_never_reaches_the_database():
    report("https://evil-colis.fr/suivi?email=jeanne.dupont@example.fr&tel=0612345678", network="203.0.113.7")
    assert not Indicator.objects.filter(value__contains="jeanne").exists()
    assert not Indicator.objects.filter(display__contains="jeanne").exists()


def test_on_a_shared_host_a_site_is_its_own_host_and_the_host_is_never_listed_whole(site_rule):
    for network, name in (("203.0.113.7", "a"), ("198.51.100.4", "b"), ("192.0.2.9", "c")):
        report(f"https://{name}-chronopost.weebly.com/payer", network=network)
    assert set(Indicator.objects.filter(kind=Kind.SITE).values_list("value", flat=True)) == {
        "a-chronopost.weebly.com",
        "b-chronopost.weebly.com",
        "c-chronopost.weebly.com",
    }
    assert not Listing.objects.exists()
    for network in ("203.0.113.7", "198.51.100.4", "192.0.2.9"):
        report("https://a-chronopost.weebly.com/autre", network=network)
    assert Listing.objects.get().expression == "a-chronopost.weebly.com/"


def test_ipv4_addresses_written_as_ipv6_are_distinct_sources():
    assert services.source_key("::ffff:1.2.3.4") == services.source_key("1.2.3.99")
    assert services.source_key("::ffff:1.2.3.4") != services.source_key("::ffff:200.7.8.9")


def test_a_rule_never_lists_a_trusted_page_nor_a_forged_official_sender_and_the_report_still_counts(staff):
    for kind in (Kind.URL, Kind.EMAIL):
        ListingRule.objects.create(name="r", kind=kind, min_sources=2, window_days=7, reason="r")
    for network in ("203.0.113.7", "198.51.100.4", "192.0.2.9"):
        report("https://www.ameli.fr/", network=network)
        report("ne-pas-repondre@impots.gouv.fr", network=network)
    assert not Listing.objects.exists()
    assert Indicator.objects.get(kind=Kind.EMAIL).report_count == 3


def test_an_import_of_a_subdomain_lists_that_host_only(staff):
    batch = import_file(b"https://promo.mairie-exemple.fr/\nwww.faux-colis.info\n", by=staff)
    expressions = set(Listing.objects.filter(batch=batch).values_list("expression", flat=True))
    assert expressions == {"promo.mairie-exemple.fr/", "faux-colis.info/"}


def test_pending_contests_are_answered_when_their_listing_ends(staff, django_capture_on_commit_callbacks):
    listing = listed("boulangerie-martin.fr", staff)
    contest = services.submit_contest(address="boulangerie-martin.fr", name="M", email="m@example.fr", message="m")
    with django_capture_on_commit_callbacks(execute=True):
        services.lift_listing(listing, by=staff, reason="Nettoyé")
    contest.refresh_from_db()
    assert contest.status == Contest.Status.MOOT and contest.decided_at
    assert "a pris fin" in mail.outbox[-1].body


def test_an_expired_listing_not_yet_closed_keeps_the_list_and_its_changes_in_agreement(staff):
    first = listed("faux-colis.info", staff)
    version = filterlist.list_update(0).version
    Listing.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    listed("fausse-amende.info", staff)
    delta = filterlist.list_update(version)
    local = (set(filterlist.list_update(0).additions) | set(delta.additions)) - set(delta.removals)
    assert local == set(filterlist.list_update(0).additions)
    assert filterlist.matches([expression_hash("faux-colis.info/")[:4]]) == []
