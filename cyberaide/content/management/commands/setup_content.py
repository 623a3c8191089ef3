from django.core.management.base import BaseCommand

from cyberaide.content.setup import set_up_content


class Command(BaseCommand):
    help = "Crée l'accueil des conseils, ses rubriques et les rôles éditoriaux (sans effet s'ils existent)."

    def handle(self, *args, **options):
        set_up_content()
        self.stdout.write("Arborescence des conseils et rôles éditoriaux en place.")
