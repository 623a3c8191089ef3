from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from .load_demo import DEMO_TOTP_KEY, DEMO_USERNAME


class Command(BaseCommand):
    help = "Affiche le code à usage unique actuel du compte d'équipe de démonstration."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Le compte de démonstration n'existe qu'en développement.")
        code = totp(bytes.fromhex(DEMO_TOTP_KEY))
        self.stdout.write(f"Compte {DEMO_USERNAME} : code {code:06d} (valable 30 secondes).")
