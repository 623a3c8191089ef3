"""The public pages: the checker's three honest answers, the contest form, and the report at the end of a diagnostic.
Every bad input gets a clear answer and changes nothing."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cyberaide.antiscam import services
from cyberaide.antiscam.models import Contest, Indicator, Kind, Listing, Report, ResultReport
from cyberaide.diagnostic.models import DiagnosticResult
from cyberaide.diagnostic.services import create_result

pytestmark = pytest.mark.django_db

CHECKER = reverse("antiscam:checker")
CONTEST = reverse("antiscam:contest")


def list_site(value, reason="Faux site de paiement d'amende qui vole les cartes bancaires."):
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, value, value))
    indicator.report_count = 42
    indicator.save()
    return services.list_indicator(
        indicator=indicator,
        category="phishing",
        reason=reason,
        expires_at=timezone.now() + timedelta(days=30),
        origin=Listing.Origin.STAFF,
    )


def check(client, text, **extra):
    return client.post(CHECKER, {"texte": text}, **extra)


def test_the_checker_page_explains_what_to_paste(client):
    page = client.get(CHECKER).content.decode()
    assert "<h1>Vérifier un lien, un numéro, un message</h1>" in page
    assert "n'est pas conservé" in page


def test_a_listed_site_is_said_to_be_a_scam_with_its_reports_and_advice(client, taxonomy):
    list_site("amende-antai-paiement.info")
    page = check(
        client, "ANTAI: votre amende de 35EUR est majoree, reglez ici https://amende-antai-paiement.info/p?d=5"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Signalé comme arnaque" in text
    assert "signalée par 42 victimes" in text
    assert "Faux site de paiement d&#x27;amende" in text
    assert "N&#x27;ouvrez pas ce lien" in text
    assert "33 700" in text and "internet-signalement.gouv.fr" in text


def test_a_look_alike_is_suspect_with_the_signal_explained(client):
    text = check(client, "https://ameli-remboursement-carte.com/espace").content.decode()
    assert "Suspect" in text
    assert "ameli.fr" in text


def test_a_shortened_link_is_suspect_because_it_hides_its_destination(client):
    text = check(client, "Votre colis: https://bit.ly/3Fq9xYz").content.decode()
    assert "lien raccourci" in text


def report_from(network, text="https://nouvelle-arnaque.info/x"):
    services.record_reports(
        found=[services.classify_single(text)], incident_code="phishing", source=services.source_key(network)
    )


def test_a_site_reported_from_several_networks_is_suspect_not_listed(client):
    for network in ("203.0.113.4", "198.51.100.4", "192.0.2.4"):
        report_from(network)
    text = check(client, "nouvelle-arnaque.info/x").content.decode()
    assert "Suspect" in text and "Signalé comme arnaque" not in text
    assert "signalé par 3 victimes ; nous ne l&#x27;avons pas encore vérifié" in text
    assert "Premier signalement le" in text


def test_one_person_alone_cannot_make_a_site_suspect(client):
    for _ in range(5):
        report_from("203.0.113.4", "https://www.boulangerie-concurrente.fr/")
    report_from("203.0.113.4", "https://www.ameli.fr/")
    assert "Rien de connu" in check(client, "https://www.boulangerie-concurrente.fr/").content.decode()
    assert "Adresse officielle" in check(client, "https://www.ameli.fr/").content.decode()


@pytest.mark.parametrize(
    "address", ["https://paypal.me/VendeurPressé/150", "https://forms.office.com/r/AbC123", "http://monsite.free.fr/"]
)
def test_a_page_anyone_can_publish_on_an_official_service_is_not_called_official(client, address):
    text = check(client, address).content.decode()
    assert "Adresse officielle" not in text
    assert "n&#x27;importe qui peut y publier" in text


def test_nothing_known_says_it_is_no_guarantee(client):
    text = check(client, "https://www.boulangerie-dupain.fr/horaires").content.decode()
    assert "Rien de connu" in text
    assert "Ce n'est pas une garantie" in text


def test_an_official_address_is_recognised(client):
    text = check(client, "https://www.ameli.fr/assure/remboursements").content.decode()
    assert "Adresse officielle" in text


def test_a_whole_sms_gives_one_answer_per_indicator(client):
    text = check(
        client,
        "Bonjour, conseiller Credit Agricole: rappelez le 01 99 00 12 34 "
        "et virez sur FR76 3000 6000 0112 3456 7890 189",
    ).content.decode()
    assert "Numéro de téléphone" in text and "01 99 00 12 34" in text
    assert "IBAN" in text and "FR76 3000 6000 0112 3456 7890 189" in text


def test_text_without_indicators_is_answered_plainly(client):
    text = check(client, "Rendez-vous mardi à 14h30 au 12 rue des Lilas, 75011 Paris.").content.decode()
    assert "Nous n'avons trouvé ni lien" in text


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Collez un lien"),
        ("a" * 20_001, "trop long"),
        ("\x00\x01\x02\x03binaire\x00" * 10, "pas à du texte"),
    ],
)
def test_bad_pastes_get_a_clear_error(client, text, message):
    response = check(client, text)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Indicator.objects.exists()


def test_a_malformed_address_is_named_as_unreadable(client):
    text = check(client, "Cliquez: http://exa mple..com:99999/ et http://xn--zz.fr/").content.decode()
    assert "Éléments que nous n&#x27;avons pas pu lire" in text or "Nous n'avons trouvé ni lien" in text


def test_a_paste_too_big_to_read_gets_a_french_explanation(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = check(client, "x" * 5000)
    assert response.status_code == 400
    assert "Nous n'avons pas pu lire votre demande" in response.content.decode()


@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_ANTISCAM_CHECK="2/600")
def test_the_checker_is_rate_limited(client):
    statuses = [check(client, "https://a.fr/", REMOTE_ADDR="192.0.2.50").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Trop de demandes" in check(client, "https://a.fr/", REMOTE_ADDR="192.0.2.50").content.decode()


# --- Contest form ---


def contest_data(**changes):
    data = {
        "adresse": "https://www.boulangerie-martin.fr/",
        "nom": "Boulangerie Martin",
        "email": "contact@example.fr",
        "explication": "Notre site a été piraté ; la fausse page est supprimée depuis hier.",
        "proprietaire": "on",
    }
    return {**data, **changes}


def test_the_owner_of_a_listed_site_can_contest(client, django_capture_on_commit_callbacks):
    listing = list_site("boulangerie-martin.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CONTEST, contest_data())
    assert response.status_code == 200
    assert "Votre contestation est envoyée" in response.content.decode()
    contest = Contest.objects.get()
    assert contest.listing == listing and contest.status == Contest.Status.PENDING
    assert mail.outbox[0].to == ["contact@example.fr"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"adresse": ""}, "Indiquez ce qui est inscrit"),
        ({"email": "pas-une-adresse"}, "adresse e-mail n&#x27;est pas valide"),
        ({"explication": ""}, "Expliquez en quelques phrases"),
        ({"explication": "x" * 3001}, "dépasse 3000 caractères"),
        ({"proprietaire": ""}, "Seul le responsable peut contester"),
        ({"adresse": "https://www.site-pas-liste.fr/"}, "pas sur notre liste"),
    ],
)
def test_a_bad_contest_is_refused_clearly_and_nothing_stored(client, changes, message):
    list_site("boulangerie-martin.fr")
    response = client.post(CONTEST, contest_data(**changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Contest.objects.exists()


def test_the_contest_form_is_prefilled_from_the_warning(client):
    page = client.get(CONTEST, {"adresse": "https://boulangerie-martin.fr/"}).content.decode()
    assert 'value="https://boulangerie-martin.fr/"' in page


@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_ANTISCAM_CONTEST="2/3600")
def test_a_contest_flood_is_rate_limited(client):
    list_site("boulangerie-martin.fr")
    statuses = [
        client.post(CONTEST, contest_data(email=f"p{n}@example.fr"), REMOTE_ADDR="192.0.2.60").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]
    assert Contest.objects.count() == 2


# --- Report at the end of a diagnostic ---


@pytest.fixture
def result(graph_version):
    return create_result(audience="particulier", incident_code="phishing")


def test_the_result_page_offers_to_report_what_the_scammer_used(client, result):
    page = client.get(reverse("diagnostic:result", args=[result.token])).content.decode()
    assert "Aidez à protéger les autres" in page
    assert reverse("antiscam:report_preview", args=[result.token]) in page


def test_a_victim_reports_after_confirming_each_item(client, result):
    preview = client.post(
        reverse("antiscam:report_preview", args=[result.token]),
        {"texte": "Colissimo: frais de 1,99EUR https://colis-suivi-frais.info/pay ou appelez le 01 99 00 12 34"},
    )
    page = preview.content.decode()
    assert "Décochez ce qui vient de vous" in page
    assert 'value="https://colis-suivi-frais.info/pay"' in page and 'value="+33199001234"' in page
    assert not Indicator.objects.exists()  # nothing recorded before confirmation

    response = client.post(
        reverse("antiscam:report_confirm", args=[result.token]),
        {"element": ["https://colis-suivi-frais.info/pay"]},  # the victim unticked the number
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert set(Indicator.objects.values_list("kind", "value")) == {
        (Kind.URL, "https://colis-suivi-frais.info/pay"),
        (Kind.SITE, "colis-suivi-frais.info"),
    }
    assert set(Report.objects.values_list("incident_code", flat=True)) == {"phishing"}
    page = client.get(response["Location"]).content.decode()
    assert "Merci : 1 élément enregistré" in page
    assert "vous nous avez transmis 1 élément" in page

    # Once per result: a second submission records nothing more.
    client.post(reverse("antiscam:report_confirm", args=[result.token]), {"element": ["+33199001234"]})
    assert Report.objects.count() == 2
    assert ResultReport.objects.get(result=result).indicator_count == 1


def test_tampered_or_empty_confirmations_record_nothing(client, result):
    url = reverse("antiscam:report_confirm", args=[result.token])
    client.post(url, {"element": ["<script>alert(1)</script>", "pas un indicateur", "x" * 5000, "\x01\x02\x03\x04"]})
    client.post(url, {})
    assert not Indicator.objects.exists() and not ResultReport.objects.exists()


def test_an_unknown_result_token_is_a_404(client, taxonomy):
    assert client.post(reverse("antiscam:report_confirm", args=["inconnu"]), {"element": ["a.fr"]}).status_code == 404


@override_settings(RATELIMIT_ENABLED=True, RATELIMIT_ANTISCAM_REPORT="1/3600")
def test_reports_from_one_address_are_rate_limited(client, taxonomy):
    results = [DiagnosticResult.objects.create(audience="particulier", graph_version=1) for _ in range(2)]
    for result in results:
        client.post(
            reverse("antiscam:report_confirm", args=[result.token]),
            {"element": ["https://faux-site-repete.info/"]},
            REMOTE_ADDR="203.0.113.10",
        )
    assert Report.objects.filter(indicator__kind=Kind.URL).count() == 1


# --- Back office ---


@pytest.fixture
def moderator(verified_login, client):
    user = get_user_model().objects.create_user("moderateur", "m@cyberaide.example", "x", is_staff=True)
    codenames = ["view_indicator", "add_listing", "view_listing", "change_listing", "view_contest", "decide_contest"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="antiscam", codename__in=codenames))
    verified_login(client, user)
    return user


def test_staff_list_an_indicator_and_the_decision_is_audited(client, moderator):
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, "faux-impots.info", "faux"))
    response = client.post(
        reverse("admin:antiscam_indicator_list", args=[indicator.pk]),
        {"category": "impersonation", "reason": "Faux site des impôts.", "days": "60"},
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert listing.listed_by == moderator and listing.origin == Listing.Origin.STAFF
    assert (listing.expires_at - timezone.now()).days in (59, 60)
    assert LogEntry.objects.filter(user=moderator, object_id=str(listing.pk)).exists()

    response = client.post(reverse("admin:antiscam_listing_lift", args=[listing.pk]), {"reason": "Erreur de saisie"})
    listing.refresh_from_db()
    assert listing.status == Listing.Status.LIFTED and listing.ended_by == moderator
    assert LogEntry.objects.filter(user=moderator, change_message__contains="Erreur de saisie").exists()


def test_staff_without_the_permission_cannot_list(client, verified_login):
    user = get_user_model().objects.create_user("lecteur", "l@cyberaide.example", "x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_indicator"))
    verified_login(client, user)
    indicator = services.get_or_create_indicator(services.IndicatorValue(Kind.SITE, "faux-impots.info", "faux"))
    response = client.post(
        reverse("admin:antiscam_indicator_list", args=[indicator.pk]),
        {"category": "phishing", "reason": "x", "days": "60"},
    )
    assert response.status_code == 403
    assert not Listing.objects.exists()


def test_staff_decide_a_contest_from_the_back_office(client, moderator, django_capture_on_commit_callbacks):
    listing = list_site("boulangerie-martin.fr")
    contest = services.submit_contest(address="boulangerie-martin.fr", name="M", email="m@example.fr", message="m")
    page = client.get(reverse("admin:antiscam_contest_change", args=[contest.pk])).content.decode()
    assert "Enregistrer et envoyer la décision" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:antiscam_contest_decide", args=[contest.pk]),
            {"decision": "uphold", "note": "Page supprimée, vérifié le jour même."},
        )
    contest.refresh_from_db()
    listing.refresh_from_db()
    assert contest.status == Contest.Status.UPHELD and contest.decided_by == moderator
    assert listing.status == Listing.Status.LIFTED
    assert "Page supprimée" in mail.outbox[-1].body
    assert LogEntry.objects.filter(object_id=str(contest.pk), user=moderator).exists()


def test_staff_import_a_partner_list(client, verified_login):
    admin = get_user_model().objects.create_superuser("chef", "c@cyberaide.example", "x")
    verified_login(client, admin)
    upload = SimpleUploadedFile("liste.txt", b"faux-colis-1.info\nfaux-colis-2.info\nnimporte quoi\n")
    response = client.post(
        reverse("admin:antiscam_importbatch_import"),
        {"file": upload, "source": "Partenaire", "category": "phishing", "reason": "Liste partenaire", "days": "30"},
    )
    assert response.status_code == 302
    assert Listing.objects.filter(origin=Listing.Origin.IMPORT, batch__source="Partenaire").count() == 2
    assert LogEntry.objects.filter(user=admin, change_message__contains="Partenaire").exists()


def test_every_back_office_page_of_the_filter_opens_on_the_demonstration_data(client, verified_login, taxonomy):
    from cyberaide.antiscam.demo import create_demo_filter
    from cyberaide.antiscam.models import ImportBatch, ListingRule, TrustedDomain

    admin = get_user_model().objects.create_superuser("chef", "c@cyberaide.example", "x")
    create_demo_filter(admin)
    verified_login(client, admin)
    for model in (Indicator, Listing, Contest, ListingRule, TrustedDomain, ImportBatch):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:antiscam_{name}_changelist")).status_code == 200, name
        first = model.objects.order_by("pk").first()
        assert client.get(reverse(f"admin:antiscam_{name}_change", args=[first.pk])).status_code == 200, name
    listed = client.get(reverse("admin:antiscam_indicator_changelist"), {"liste": "oui"}).content.decode()
    assert "ameli-remboursement-demo.fr" in listed
    pending = client.get(reverse("admin:antiscam_contest_changelist"), {"status__exact": "pending"}).content.decode()
    assert "2 contestations" in pending
    assert client.get(reverse("admin:antiscam_importbatch_import")).status_code == 200
