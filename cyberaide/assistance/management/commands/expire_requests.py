from django.core.management.base import BaseCommand

from cyberaide.assistance.services import expire_overdue


class Command(BaseCommand):
    help = "Clôt les demandes d'assistance restées sans réponse dans le délai et prévient les victimes."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_overdue()} demande(s) expirée(s).")
