from django.core.management.base import BaseCommand

from cyberaide.content.setup import ensure_content_tree, ensure_roles


class Command(BaseCommand):
    help = "Crée l'accueil des conseils, ses rubriques et les rôles éditoriaux (sans effet s'ils existent)."

    def handle(self, *args, **options):
        ensure_content_tree()
        ensure_roles()
        self.stdout.write("Arborescence des conseils et rôles éditoriaux en place.")
