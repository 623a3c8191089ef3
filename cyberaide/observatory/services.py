"""Staff actions of the observatory: grouping "je n'ai pas trouvé" descriptions, deciding what to do with a group,
acknowledging a surge. Each runs in one transaction with the row locked; the back office logs who did what."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cyberaide.core.errors import UserError
from cyberaide.diagnostic import engine, graphs
from cyberaide.diagnostic.models import GraphVersion, IncidentType, UnmatchedReport

from .models import ReportGroup, Surge


@transaction.atomic
def create_group(*, name: str, report_ids: Iterable[int], by) -> ReportGroup:
    """A new group of descriptions that are in no group yet; they are marked as read."""
    name = name.strip()
    if not name:
        raise UserError("Donnez un nom au groupe.")
    locked = list(
        UnmatchedReport.objects.select_for_update(of=("self",)).filter(pk__in=list(report_ids)).order_by("pk")
    )
    # Read once the rows are locked: a group created meanwhile by someone else is seen.
    grouped = set(
        ReportGroup.reports.through.objects.filter(unmatchedreport__in=locked).values_list(
            "unmatchedreport_id", flat=True
        )
    )
    reports = [report for report in locked if report.pk not in grouped]
    if not reports:
        raise UserError("Ces descriptions sont déjà dans un groupe, ou ont été supprimées.")
    group = ReportGroup.objects.create(name=name[:120], created_by=by)
    group.reports.set(reports)
    UnmatchedReport.objects.filter(pk__in=[report.pk for report in reports], status=UnmatchedReport.Status.NEW).update(
        status=UnmatchedReport.Status.REVIEWED, reviewed_by=by, reviewed_at=timezone.now()
    )
    return group


@transaction.atomic
def decide(group: ReportGroup, *, decision: str, by, incident_code: str = "") -> GraphVersion | None:
    """Record what becomes of a group. A journey change or a new incident type opens a draft of the questionnaire,
    copied from the published one, for staff to edit and publish; it is returned."""
    group = ReportGroup.objects.select_for_update().get(pk=group.pk)
    if decision not in ReportGroup.Decision.values or decision == ReportGroup.Decision.OPEN:
        raise UserError("Choisissez une décision.")
    if group.decision != ReportGroup.Decision.OPEN:
        raise UserError("Une décision a déjà été prise pour ce groupe.")
    incident_code = incident_code.strip()
    if decision == ReportGroup.Decision.NEW_INCIDENT and not incident_code:
        raise UserError("Donnez le code du nouveau type d'incident (lettres minuscules, chiffres et tirets).")
    if incident_code and decision == ReportGroup.Decision.JOURNEY_CHANGE:
        if not IncidentType.objects.filter(code=incident_code).exists():
            raise UserError(f"Aucun type d'incident n'a le code « {incident_code} ».")
    if decision == ReportGroup.Decision.NEW_INCIDENT and IncidentType.objects.filter(code=incident_code).exists():
        raise UserError(
            f"Le type d'incident « {incident_code} » existe déjà : choisissez « Modification du parcours »."
        )
    group.decision = decision
    group.incident_code = incident_code if decision != ReportGroup.Decision.NO_ACTION else ""
    group.decided_by = by
    group.decided_at = timezone.now()
    group.save()
    if decision == ReportGroup.Decision.NO_ACTION:
        return None
    note = f"Situations non trouvées : « {group.name} » ({group.reports.count()})"[:300]
    try:
        return graphs.copy_of_published(by=by, note=note)
    except engine.InvalidGraph as error:  # e.g. a type created earlier and not in the questionnaire yet
        raise UserError(
            "Le brouillon du questionnaire n'a pas pu être ouvert : "
            + " ; ".join(error.problems[:3])
            + ". Terminez d'abord le brouillon en cours (Versions du diagnostic)."
        ) from error


@transaction.atomic
def acknowledge_surge(surge: Surge, *, by, note: str = "") -> Surge:
    surge = Surge.objects.select_for_update().get(pk=surge.pk)
    if surge.acknowledged_at is None:
        surge.acknowledged_by = by
        surge.acknowledged_at = timezone.now()
    if note.strip():
        surge.note = note.strip()
    surge.save()
    return surge
