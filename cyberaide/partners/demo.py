"""The demonstration partner (a fictional town hall) whose page `/demo-partenaire/` embeds the module."""

from django.conf import settings

from .models import Partner


def local_origins(port: int) -> list[str]:
    return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]


def create_demo_partner(port: int) -> Partner:
    partner, _ = Partner.objects.get_or_create(
        key=settings.PARTNER_DEMO_KEY,
        defaults={
            "name": "Mairie de Val-d'Exemple (démonstration)",
            "kind": Partner.Kind.COLLECTIVITE,
            "website": "https://val-d-exemple.example",
            "contact_name": "Service numérique",
            "contact_email": "numerique@val-d-exemple.example",
            "status": Partner.Status.APPROVED,
        },
    )
    origins = local_origins(port)
    if partner.allowed_origins != origins:
        partner.allowed_origins = origins
        partner.save(update_fields=["allowed_origins"])
    return partner
