from django.core.management.base import BaseCommand

from cyberaide.chat.setup import load_canned_answers


class Command(BaseCommand):
    help = "Crée les réponses types 17Cyber manquantes (celles déjà modifiées par l'équipe sont gardées)."

    def handle(self, *args, **options):
        self.stdout.write(f"{load_canned_answers()} réponse(s) type créée(s).")
