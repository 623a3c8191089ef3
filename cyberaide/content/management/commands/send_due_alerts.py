from django.core.management.base import BaseCommand

from cyberaide.content.alerts import enqueue_due_dispatches


class Command(BaseCommand):
    help = "Envoie par courriel les alertes dont le début est arrivé (à lancer chaque minute)."

    def handle(self, *args, **options):
        count = enqueue_due_dispatches()
        self.stdout.write(f"{count} alerte(s) envoyée(s).")
