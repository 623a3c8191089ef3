from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cyberaide.antiscam.services import erase_old_contests, erase_old_source_keys
from cyberaide.assistance.services import erase_old_contacts
from cyberaide.chat.services import purge_old as purge_old_conversations
from cyberaide.content.alerts import purge_unconfirmed
from cyberaide.diagnostic.models import DiagnosticResult, DiagnosticSession, UnmatchedReport
from cyberaide.diagnostic.suggestions import purge_old_models


class Command(BaseCommand):
    help = "Efface les données personnelles arrivées au bout de leur durée de conservation."

    def handle(self, *args, **options):
        now = timezone.now()
        results_before = now - timedelta(days=settings.DIAGNOSTIC_RESULT_RETENTION_DAYS)
        results, _ = DiagnosticResult.objects.filter(created_at__lt=results_before).delete()
        sessions, _ = DiagnosticSession.objects.filter(updated_at__lt=results_before).delete()
        reports, _ = UnmatchedReport.objects.filter(
            created_at__lt=now - timedelta(days=settings.UNMATCHED_REPORT_RETENTION_DAYS)
        ).delete()
        trainings = purge_old_models(now)
        contacts = erase_old_contacts(now)
        subscriptions = purge_unconfirmed(now)
        conversations = purge_old_conversations(now)
        source_keys = erase_old_source_keys(now=now)
        contests = erase_old_contests(now=now)
        self.stdout.write(
            f"Effacés : {results} résultat(s), {sessions} session(s), {reports} description(s), "
            f"{trainings} entraînement(s) du tri des descriptions, "
            f"coordonnées de {contacts} demande(s) d'assistance, {subscriptions} abonnement(s) non confirmé(s), "
            f"{conversations} discussion(s) 17Cyber, clé de réseau de {source_keys} signalement(s) d'arnaque, "
            f"coordonnées de {contests} contestation(s)."
        )
