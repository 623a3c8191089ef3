from django.core.management.base import BaseCommand

from cyberaide.providers.charters import load_charter


class Command(BaseCommand):
    help = "Publie la charte des prestataires décrite dans providers/data/charter.yaml (si sa version est nouvelle)."

    def handle(self, *args, **options):
        charter = load_charter()
        self.stdout.write(f"Charte en vigueur : version {charter.version}.")
