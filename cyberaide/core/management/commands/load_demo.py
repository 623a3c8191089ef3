"""Demonstration data for `make run`: the taxonomy, the questionnaire, a staff account and a season of journeys."""

import os
import random
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.assistance.demo import DEMO_PROVIDER_EMAIL, create_demo_provider
from cyberaide.chat.demo import DEMO_AGENTS, create_demo_agents, create_demo_conversations
from cyberaide.chat.setup import load_canned_answers
from cyberaide.content.seed import load_content, refresh_demo_alerts
from cyberaide.core.geography import DEPARTEMENTS
from cyberaide.diagnostic.graphs import load_default_graph
from cyberaide.diagnostic.models import Channel, IncidentType, JourneyRecord, minute
from cyberaide.diagnostic.taxonomy import load_taxonomy
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

# 2024 shares of journeys by audience, and the top threats per audience (public figures).
AUDIENCE_WEIGHTS = {"particulier": 94, "entreprise": 4, "association": 1, "collectivite": 1}
TOP_THREATS = {
    "particulier": {"phishing": 33, "account_hacking": 14, "fake_tech_support": 8, "data_breach": 6},
    "entreprise": {"phishing": 25, "account_hacking": 15, "ransomware": 10, "ceo_fraud": 8},
    "association": {"phishing": 25, "account_hacking": 18, "fake_invoice": 8},
    "collectivite": {"phishing": 30, "ransomware": 15, "account_hacking": 12},
}


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
        if not JourneyRecord.objects.exists():
            count = self.create_journeys(version.number)
            self.stdout.write(f"{count} parcours anonymes de démonstration créés.")

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

    def create_journeys(self, graph_version: int) -> int:
        rng = random.Random(2026)
        applicable = {
            audience: [
                code
                for code, audiences in IncidentType.objects.values_list("code", "audiences")
                if audience in audiences
            ]
            for audience in AUDIENCE_WEIGHTS
        }
        departements = list(DEPARTEMENTS)
        now = timezone.now()
        records = []
        for day in range(120):
            date = now - timedelta(days=day)
            for _ in range(rng.randint(25, 45) if date.weekday() < 5 else rng.randint(12, 25)):
                audience = rng.choices(list(AUDIENCE_WEIGHTS), weights=list(AUDIENCE_WEIGHTS.values()))[0]
                codes = applicable[audience]
                weights = [TOP_THREATS[audience].get(code, 2) for code in codes]
                started = minute(date.replace(hour=rng.randint(7, 22), minute=rng.randint(0, 59)))
                finished = rng.random() < 0.8
                found = rng.random() < 0.95
                records.append(
                    JourneyRecord(
                        audience=audience,
                        outcome_kind=(
                            JourneyRecord.OutcomeKind.INCIDENT if found else JourneyRecord.OutcomeKind.NOT_FOUND
                        )
                        if finished
                        else "",
                        incident_code=rng.choices(codes, weights=weights)[0] if finished and found else "",
                        graph_version=graph_version,
                        channel=rng.choices([Channel.WEBSITE, Channel.PARTNER, Channel.API], weights=[85, 12, 3])[0],
                        departement=rng.choice(departements) if finished and rng.random() < 0.4 else "",
                        started_at=started,
                        finished_at=started + timedelta(minutes=rng.randint(1, 4)) if finished else None,
                    )
                )
        JourneyRecord.objects.bulk_create(records, batch_size=2000)
        return len(records)
