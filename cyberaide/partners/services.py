"""Staff decisions on partners: each one recorded, the partner told by e-mail after commit."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cyberaide.core.mail import absolute, send_after_commit

from .models import Partner

SUBJECTS = {
    Partner.Status.APPROVED: "votre module 17Cyber est prêt",
    Partner.Status.REFUSED: "votre demande de module 17Cyber",
    Partner.Status.SUSPENDED: "votre module 17Cyber est suspendu",
}


def snippet(partner: Partner) -> str:
    return f'<script src="{absolute(reverse("partners:embed_script"))}" data-partner="{partner.key}" async></script>'


@transaction.atomic
def decide(partner: Partner, status: str, *, by, note: str = "") -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    partner.status = status
    partner.decided_at = timezone.now()
    partner.decided_by = by
    partner.decision_note = note[:300]
    partner.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    send_after_commit(
        SUBJECTS[status],
        "partners/emails/decision.txt",
        {"partner": partner, "snippet": snippet(partner)},
        partner.contact_email,
    )
    return partner
