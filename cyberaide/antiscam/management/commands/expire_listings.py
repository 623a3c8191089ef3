from django.core.management.base import BaseCommand

from cyberaide.antiscam.services import expire_listings


class Command(BaseCommand):
    help = "Termine les inscriptions arrivées à expiration et met à jour la liste des navigateurs."

    def handle(self, *args, **options):
        ended = expire_listings()
        self.stdout.write(f"{ended} inscription(s) expirée(s).")
