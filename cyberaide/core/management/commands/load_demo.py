"""Demonstration data for `make run`: the taxonomy, the questionnaire, staff, providers, content, fifteen months of
anonymous journeys and the observatory brought up to date."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.antiscam.demo import create_demo_filter
from cyberaide.assistance.demo import DEMO_PROVIDER_EMAIL, create_demo_provider
from cyberaide.chat.demo import DEMO_AGENTS, create_demo_agents, create_demo_conversations
from cyberaide.chat.setup import load_canned_answers
from cyberaide.content.seed import load_content, refresh_demo_alerts
from cyberaide.diagnostic.graphs import load_default_graph
from cyberaide.diagnostic.models import JourneyRecord, UnmatchedReport
from cyberaide.diagnostic.taxonomy import load_taxonomy
from cyberaide.observatory import watch
from cyberaide.observatory.demo import create_demo_journeys, create_demo_past_surges, create_demo_unmatched_reports
from cyberaide.observatory.models import Surge
from cyberaide.observatory.publication import publish
from cyberaide.observatory.rollups import refresh
from cyberaide.partners.demo import create_demo_partner
from cyberaide.providers.charters import load_charter
from cyberaide.providers.demo import create_providers
from cyberaide.providers.models import Provider

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "cyberaide-demo"  # noqa: S105 (demonstration only, created with DEBUG on)
# A fixed secret so that `manage.py demo_code` can show the code; only ever created with DEBUG on.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"

# About as many providers as the national service references.
DEMO_PROVIDERS = 1600


class Command(BaseCommand):
    help = "Charge les données de démonstration (sans effet si elles sont déjà là)."

    def handle(self, *args, **options):
        services, incidents = load_taxonomy()
        version = load_default_graph()
        self.stdout.write(
            f"{incidents} types d'incident, {services} services officiels, questionnaire v{version.number}."
        )
        load_charter()
        load_canned_answers()
        pages = load_content()
        if pages:
            self.stdout.write(f"{pages} pages de conseils et d'alertes publiées.")
        if not Provider.objects.exists():
            count = create_providers(DEMO_PROVIDERS)
            self.stdout.write(f"{count} prestataires de démonstration créés.")
        if settings.DEBUG:
            refresh_demo_alerts()
            self.create_demo_staff()
            # Its demonstration requests would otherwise print a dozen e-mails to the console.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                created = create_demo_provider(DEMO_PASSWORD, DEMO_TOTP_KEY)
            if created:
                self.stdout.write(
                    f"Compte prestataire de démonstration : {DEMO_PROVIDER_EMAIL} / {DEMO_PASSWORD} "
                    "(même code à usage unique)."
                )
            create_demo_partner(int(os.environ.get("PORT") or 8000))
            create_demo_agents(DEMO_PASSWORD, DEMO_TOTP_KEY)
            create_demo_conversations()
            emails = " et ".join(email for email, _, _ in DEMO_AGENTS.values())
            self.stdout.write(f"Agents 17Cyber de démonstration : {emails} / {DEMO_PASSWORD} (même code).")
            counts = create_demo_filter(User.objects.get(username=DEMO_USERNAME))
            if counts["indicators"]:
                self.stdout.write(
                    f"Filtre anti-arnaque : {counts['indicators']} indicateurs signalés, "
                    f"{counts['active_listings']} inscrits sur la liste, {counts['contests']} contestations."
                )
        new_journeys = not JourneyRecord.objects.exists()
        if new_journeys:
            count = create_demo_journeys(version.number)
            self.stdout.write(f"{count} parcours anonymes de démonstration créés (quinze mois).")
        if not UnmatchedReport.objects.exists():
            count = create_demo_unmatched_reports(version.number)
            self.stdout.write(f"{count} descriptions « je n'ai pas trouvé » de démonstration créées.")
        self.update_observatory(new_journeys)

    def create_demo_staff(self):
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "equipe@cyberaide.example"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            TOTPDevice.objects.create(user=user, name="Démonstration", key=DEMO_TOTP_KEY, confirmed=True)
            self.stdout.write(
                f"Compte d'équipe de démonstration : {DEMO_USERNAME} / {DEMO_PASSWORD} "
                "(code à usage unique : `make demo-code`)."
            )

    def update_observatory(self, new_journeys: bool):
        """Count the new journeys, watch for surges and publish the complete months, as the scheduled tasks do."""
        report = refresh()
        self.stdout.write(f"Observatoire : {report.days} jours de parcours comptés.")
        if new_journeys:
            # The watch only looks at yesterday and today: the surges it would have raised before are recorded here.
            past = create_demo_past_surges()
            self.stdout.write(f"Observatoire : {past} hausse(s) inhabituelle(s) passée(s) enregistrée(s).")
        # The watch e-mails the staff accounts about each new surge: not printed on the console here.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            raised = watch.run()
        current = Surge.objects.filter(ended_on__isnull=True).count()
        self.stdout.write(f"Observatoire : {len(raised)} nouvelle(s) hausse(s) inhabituelle(s), {current} en cours.")
        months = publish()
        self.stdout.write(f"Observatoire : {len(months)} mois publié(s).")
