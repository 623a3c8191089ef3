from django.core.management.base import BaseCommand

from cyberaide.diagnostic.taxonomy import load_taxonomy


class Command(BaseCommand):
    help = "Charge les types d'incident et les services officiels livrés avec Cyberaide."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="remplacer aussi les fiches déjà modifiées")

    def handle(self, *args, update: bool, **options):
        services, incidents = load_taxonomy(update_existing=update)
        self.stdout.write(f"{services} services officiels et {incidents} types d'incident à jour.")
