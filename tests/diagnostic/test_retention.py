from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cyberaide.diagnostic.models import DiagnosticResult, DiagnosticSession, JourneyRecord, UnmatchedReport

pytestmark = pytest.mark.django_db


def test_purge_removes_personal_data_past_retention_and_keeps_anonymous_records(graph_version):
    old = timezone.now() - timedelta(days=400)
    record = JourneyRecord.objects.create(audience="particulier", started_at=old)
    session = DiagnosticSession.objects.create(graph_version=graph_version, audience="particulier", record=record)
    result = DiagnosticResult.objects.create(session=session, record=record, audience="particulier", graph_version=1)
    report = UnmatchedReport.objects.create(text="texte", audience="particulier", graph_version=1)
    recent = UnmatchedReport.objects.create(text="récent", audience="particulier", graph_version=1)
    DiagnosticSession.objects.filter(pk=session.pk).update(updated_at=old)
    DiagnosticResult.objects.filter(pk=result.pk).update(created_at=old)
    UnmatchedReport.objects.filter(pk=report.pk).update(created_at=old)
    call_command("purge_personal_data")
    assert not DiagnosticSession.objects.exists() and not DiagnosticResult.objects.exists()
    assert list(UnmatchedReport.objects.all()) == [recent]
    assert JourneyRecord.objects.filter(pk=record.pk).exists()
