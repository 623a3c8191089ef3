# Results and journey records made before the situation rules keep what their incident type offered then: its
# severity, its services, whether the chat was offered and the provider skills it called for. The versions
# published before keep the texts their incident types had (the same for individuals and organisations), so that
# their results read as they did. Services meant for individuals only are marked so.

from django.db import migrations
from django.utils import timezone

# The incident-to-skill table as it stood before the rules took it over.
EXPERTISE_FOR_INCIDENT = {
    "phishing": ["comptes_messageries", "postes_serveurs"],
    "scam_sms": ["mobiles"],
    "email_spam": ["comptes_messageries"],
    "account_hacking": ["comptes_messageries"],
    "ransomware": ["postes_serveurs", "recuperation_donnees", "reseaux_telephonie"],
    "malware": ["postes_serveurs", "mobiles"],
    "stealer": ["postes_serveurs", "comptes_messageries"],
    "stalkerware": ["mobiles"],
    "fake_tech_support": ["postes_serveurs"],
    "cyberharassment": ["comptes_messageries"],
    "ceo_fraud": ["comptes_messageries"],
    "fake_invoice": ["comptes_messageries"],
    "data_breach": ["postes_serveurs", "reseaux_telephonie", "sites_web"],
    "defacement": ["sites_web"],
    "ddos": ["sites_web", "reseaux_telephonie"],
    "repair_fraud": ["postes_serveurs"],
    "pbx_hacking": ["reseaux_telephonie"],
    "iot_hacking": ["reseaux_telephonie"],
    "lost_device": ["mobiles", "recuperation_donnees"],
    "domain_abuse": ["sites_web"],
    "system_compromise": ["postes_serveurs", "reseaux_telephonie"],
}
SERVICE_AUDIENCES = {
    "thesee": ["particulier"],
    "perceval": ["particulier"],
    "3919": ["particulier"],
    "signalconso": ["particulier"],
    "bloctel": ["particulier"],
    "anssi": ["entreprise", "association", "collectivite"],
}


def backfill(apps, schema_editor):
    IncidentType = apps.get_model("diagnostic", "IncidentType")
    IncidentService = apps.get_model("diagnostic", "IncidentService")
    DiagnosticResult = apps.get_model("diagnostic", "DiagnosticResult")
    JourneyRecord = apps.get_model("diagnostic", "JourneyRecord")
    OfficialService = apps.get_model("diagnostic", "OfficialService")
    GraphVersion = apps.get_model("diagnostic", "GraphVersion")
    for code, audiences in SERVICE_AUDIENCES.items():
        OfficialService.objects.filter(code=code, audiences=[]).update(audiences=audiences)
    texts = {}
    for incident in IncidentType.objects.all():
        one = {
            "summary": incident.summary,
            "actions": list(incident.actions),
            "evidence": list(incident.evidence),
            "complaint_how": incident.complaint_how or incident.get_complaint_display(),
        }
        groups = (["particulier"] if "particulier" in incident.audiences else []) + (
            ["professionnel"] if set(incident.audiences) - {"particulier"} else []
        )
        if one["summary"] and one["actions"] and one["evidence"]:
            texts[incident.code] = dict.fromkeys(groups, one)
    # Published versions only change here, once: a migration writes below the model's guard.
    GraphVersion.objects.filter(advice={}).update(advice=texts)
    for incident in IncidentType.objects.all():
        services = list(
            IncidentService.objects.filter(incident=incident).order_by("position").values_list("service__code", flat=True)
        )
        level = "critical" if incident.chat_offered else ("high" if incident.severity == "critical" else incident.severity)
        assessment = {
            "level": level,
            "reasons": [],
            "services": services,
            "expertise": EXPERTISE_FOR_INCIDENT.get(incident.code, []),
            "actions": [],
            "complaint": incident.complaint,
            "rules": [],
            "priority": 99,  # after the situations found serious by a rule
        }
        DiagnosticResult.objects.filter(incident=incident, severity="").update(severity=level, assessment=assessment)
        # A changed record is counted again by the observatory's next refresh.
        JourneyRecord.objects.filter(incident_code=incident.code, severity="").update(
            severity=level, updated_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostic", "0005_situation_rules"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
