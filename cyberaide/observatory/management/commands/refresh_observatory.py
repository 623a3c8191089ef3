from django.core.management.base import BaseCommand

from cyberaide.observatory import publication, rollups, watch


class Command(BaseCommand):
    help = (
        "Met à jour l'observatoire : recompte les jours modifiés, cherche les hausses inhabituelles et publie les "
        "mois complets (à lancer toutes les 10 minutes)."
    )

    def handle(self, *args, **options):
        report = rollups.refresh()
        raised = watch.run()
        published = publication.publish()
        self.stdout.write(
            f"{report.days} jour(s) recompté(s), {len(raised)} nouvelle(s) hausse(s), {len(published)} mois publié(s)."
        )
