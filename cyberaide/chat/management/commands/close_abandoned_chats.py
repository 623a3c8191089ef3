from django.core.management.base import BaseCommand

from cyberaide.chat.services import close_abandoned


class Command(BaseCommand):
    help = "Ferme les discussions 17Cyber restées sans activité (à lancer toutes les 10 minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"{close_abandoned()} discussion(s) fermée(s) faute d'activité.")
