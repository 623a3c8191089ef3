"""The life of an alert: scheduled, then a banner on every public page and an entry in the feeds, then gone."""

from datetime import UTC, datetime, timedelta

import pytest
from defusedxml import ElementTree
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cyberaide.content.alerts import enqueue_due_dispatches
from cyberaide.content.models import AlertDispatch, AlertPage, AlertSubscription
from cyberaide.content.selectors import BannerAlert, banner_alerts, forget_banner_alerts
from cyberaide.diagnostic.models import DiagnosticResult, DiagnosticSession, IncidentType
from tests.helpers import text_of

pytestmark = pytest.mark.django_db(transaction=False)

ATOM = "{http://www.w3.org/2005/Atom}"


def banner_on(client, url) -> bool:
    return "Ne payez pas le péage réclamé par SMS" in text_of(client.get(url))


def move_alert(alert, **fields):
    """Change an alert's dates and publish the change, as an editor would."""
    for name, value in fields.items():
        setattr(alert, name, value)
    alert.save_revision().publish()


def rss_titles(client):
    root = ElementTree.fromstring(client.get(reverse("content:alerts_rss")).content)
    return [item.findtext("title") for item in root.iter("item")]


def atom_titles(client):
    root = ElementTree.fromstring(client.get(reverse("content:alerts_atom")).content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_scheduled_then_active_then_expired(client, graph_version, make_alert):
    alert = make_alert(starts_in=timedelta(hours=2), ends_in=timedelta(days=2))
    pages = [reverse("core:home"), reverse("diagnostic:start"), "/conseils/"]

    # Scheduled: nothing shows yet, and its page is not reachable.
    assert not any(banner_on(client, url) for url in pages)
    assert client.get(alert.url).status_code == 404
    assert alert.title not in rss_titles(client)

    # Its start arrives: the banner is on every public page, including the diagnostic, and in both feeds.
    move_alert(alert, starts_at=timezone.now() - timedelta(minutes=1))
    assert all(banner_on(client, url) for url in pages)
    assert client.get(alert.url).status_code == 200
    assert alert.title in rss_titles(client)
    assert alert.title in atom_titles(client)

    # Its end passes: gone from the pages, the feeds, and its own address.
    move_alert(alert, ends_at=timezone.now() - timedelta(seconds=1))
    assert not any(banner_on(client, url) for url in pages)
    assert client.get(alert.url).status_code == 404
    assert alert.title not in rss_titles(client)
    assert alert.title not in atom_titles(client)


def test_banner_follows_the_clock_even_from_the_cache(make_alert):
    alert = make_alert(starts_in=timedelta(minutes=5), ends_in=timedelta(minutes=10))
    now = timezone.now()
    assert banner_alerts(now) == []
    assert [a.id for a in banner_alerts(now + timedelta(minutes=6))] == [alert.pk]
    assert banner_alerts(now + timedelta(minutes=11)) == []


def test_unpublishing_removes_the_banner_at_once(client, make_alert):
    alert = make_alert()
    assert banner_on(client, reverse("core:home"))
    alert.unpublish()
    assert not banner_on(client, reverse("core:home"))


@given(
    start=st.integers(min_value=-1000, max_value=1000),
    length=st.integers(min_value=1, max_value=1000),
    now=st.integers(min_value=-2000, max_value=2000),
)
def test_an_alert_is_shown_exactly_between_its_start_and_its_end(start, length, now):
    origin = datetime(2026, 11, 25, tzinfo=UTC)
    alert = AlertPage(starts_at=origin + timedelta(minutes=start), ends_at=origin + timedelta(minutes=start + length))
    moment = origin + timedelta(minutes=now)
    assert alert.is_active(moment) == (start <= now < start + length)


def test_an_alert_must_end_after_it_starts(make_alert):
    from django.core.exceptions import ValidationError

    alert = make_alert()
    alert.ends_at = alert.starts_at - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        alert.full_clean()
    assert "La fin de l'alerte doit venir après son début." in str(error.value)


def test_feeds_are_valid_and_list_active_alerts_only(client, make_alert):
    active = make_alert(title="Faux SMS de péage")
    make_alert(title="Alerte terminée", starts_in=timedelta(days=-5), ends_in=timedelta(days=-1))
    rss = client.get(reverse("content:alerts_rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert rss_titles(client) == [active.title]
    atom = client.get(reverse("content:alerts_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert atom_titles(client) == [active.title]
    assert "http://127.0.0.1:8000/conseils/alertes/faux-sms-de-peage/" in atom.content.decode()


def confirmed(email):
    return AlertSubscription.objects.create(email=email, confirmed_at=timezone.now())


def test_publishing_an_active_alert_emails_confirmed_subscribers_once(django_capture_on_commit_callbacks, make_alert):
    confirmed("lea@exemple.fr")
    AlertSubscription.objects.create(email="pas-encore@exemple.fr")  # not confirmed: nothing sent
    with django_capture_on_commit_callbacks(execute=True):
        alert = make_alert()
    assert [message.to for message in mail.outbox] == [["lea@exemple.fr"]]
    message = mail.outbox[0]
    assert message.subject == f"Alerte Cyberaide — {alert.title}"
    assert "Se désabonner en un clic : http://127.0.0.1:8000/alertes/desabonnement/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert AlertDispatch.objects.get(alert=alert).recipients == 1

    # Publishing a correction does not send it again.
    with django_capture_on_commit_callbacks(execute=True):
        alert.title = "Vague de faux SMS de péage (mise à jour)"
        alert.save_revision().publish()
    assert len(mail.outbox) == 1


def test_a_scheduled_alert_is_emailed_by_the_minute_task_once_it_starts(make_alert):
    confirmed("lea@exemple.fr")
    alert = make_alert(starts_in=timedelta(minutes=30))
    call_command("send_due_alerts")
    assert mail.outbox == []
    AlertPage.objects.filter(pk=alert.pk).update(starts_at=timezone.now() - timedelta(seconds=5))
    call_command("send_due_alerts")
    call_command("send_due_alerts")
    assert len(mail.outbox) == 1
    assert enqueue_due_dispatches() == 0


def test_an_alert_takes_its_victims_straight_to_the_situation_questions(client, graph_version, make_alert):
    alert = make_alert(incident_type=IncidentType.objects.get(code="scam_sms"))
    home = text_of(client.get(reverse("core:home")))
    assert f"{reverse('diagnostic:start')}?alerte={alert.pk}" in home
    start = text_of(client.get(reverse("diagnostic:start") + f"?alerte={alert.pk}"))
    assert f"Vous venez de l'alerte « {alert.title} »" in start
    response = client.post(reverse("diagnostic:start"), {"audience": "particulier", "alerte": alert.pk})
    session = DiagnosticSession.objects.get()
    # The questionnaire is answered up to the alert's incident; its situation questions are still asked.
    assert response.url == reverse("diagnostic:question", args=[session.token, "s_credentials"])
    page = text_of(client.get(response.url))
    assert "Nous avons reconnu votre situation" in page and "SMS frauduleux" in page
    for question, choice in [("s_credentials", "not_entered"), ("s_money", "none")]:
        response = client.post(reverse("diagnostic:question", args=[session.token, question]), {"choice": choice})
    result = DiagnosticResult.objects.get()
    assert response.url == reverse("diagnostic:result", args=[result.token])
    assert (result.incident.code, result.severity, result.situation) == (
        "scam_sms",
        "low",
        {"s_credentials": "not_entered", "s_money": "none"},
    )
    assert result.record.incident_code == "scam_sms" and result.record.severity == "low"


def test_an_alert_shortcut_not_meant_for_the_audience_starts_the_questions(client, graph_version, make_alert):
    alert = make_alert(incident_type=IncidentType.objects.get(code="scam_sms"))  # not for collectivités
    response = client.post(reverse("diagnostic:start"), {"audience": "collectivite", "alerte": alert.pk})
    assert "/diagnostic/" in response.url and DiagnosticResult.objects.count() == 0


def test_an_ended_or_unknown_alert_gives_no_shortcut(client, graph_version, make_alert):
    alert = make_alert(
        incident_type=IncidentType.objects.get(code="scam_sms"), starts_in=timedelta(days=-3), ends_in=timedelta(-1)
    )
    for value in [alert.pk, "999999", "<script>"]:
        response = client.post(reverse("diagnostic:start"), {"audience": "particulier", "alerte": value})
        assert DiagnosticResult.objects.count() == 0
        assert response.status_code == 302


def test_the_banner_cache_is_a_list_of_plain_values(make_alert):
    make_alert()
    forget_banner_alerts()
    alerts = banner_alerts()
    assert all(isinstance(alert, BannerAlert) for alert in alerts)


def test_the_banner_costs_no_query_once_cached(make_alert, django_assert_num_queries):
    make_alert()
    banner_alerts()
    with django_assert_num_queries(0):
        assert len(banner_alerts()) == 1


def test_demonstration_alerts_stay_current(taxonomy):
    from cyberaide.content.seed import load_content, refresh_demo_alerts

    load_content()
    AlertPage.objects.update(ends_at=timezone.now() - timedelta(days=1))
    assert refresh_demo_alerts() == 2
    assert len(banner_alerts()) == 2


def test_a_withdrawn_alert_is_not_emailed(make_alert):
    from cyberaide.content.alerts import send_alert_emails

    confirmed("lea@exemple.fr")
    alert = make_alert(starts_in=timedelta(minutes=30))
    alert.unpublish()
    assert send_alert_emails.call(alert.pk) == 0
    assert mail.outbox == []


def test_a_failed_sending_is_tried_again_by_the_minute_task(make_alert, settings, django_capture_on_commit_callbacks):
    confirmed("lea@exemple.fr")
    settings.EMAIL_BACKEND = "tests.content.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        alert = make_alert()  # the mail server is down: the publication itself stands
    assert AlertPage.objects.get(pk=alert.pk).live
    assert not AlertDispatch.objects.filter(alert=alert).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_due_alerts")
    assert [message.to for message in mail.outbox] == [["lea@exemple.fr"]]
    assert AlertDispatch.objects.get(alert=alert).recipients == 1


def test_search_finds_an_alert_only_while_it_is_active(make_alert):
    from cyberaide.content.search import search

    make_alert(title="Vague de faux péages", starts_in=timedelta(hours=2))
    assert search("faux péages").pages == []
    active = make_alert(title="Vague de faux péages en cours")
    assert [page.pk for page in search("faux péages").pages] == [active.pk]
