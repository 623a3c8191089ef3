"""The incident taxonomy and the official services shipped with Cyberaide are complete and consistent."""

import pytest

from cyberaide.core.audiences import Audience
from cyberaide.diagnostic.models import ComplaintAdvice, IncidentType, OfficialService, Severity
from cyberaide.diagnostic.taxonomy import load_taxonomy, read_yaml

# Every incident type PRODUCT.md says the diagnostic must recognise (and compromise of an information system).
REQUIRED = {
    "phishing", "scam_sms", "phone_scam", "email_spam", "account_hacking", "ransomware", "malware", "stealer",
    "stalkerware", "fake_tech_support", "fake_bank_adviser", "card_fraud", "identity_theft", "cyberharassment",
    "sextortion_bluff", "intimate_image_extortion", "romance_scam", "ceo_fraud", "fake_invoice", "data_breach",
    "defacement", "ddos", "fake_shop", "p2p_sale_scam", "investment_scam", "fake_job", "repair_fraud",
    "pbx_hacking", "iot_hacking", "lost_device", "illicit_content", "recovery_scam", "domain_abuse",
    "system_compromise",
}  # fmt: skip


def test_every_incident_type_is_described():
    incidents = read_yaml("incidents.yaml")
    services = {entry["code"] for entry in read_yaml("official_services.yaml")}
    assert {entry["code"] for entry in incidents} == REQUIRED
    for entry in incidents:
        where = entry["code"]
        assert entry["name"] and len(entry["summary"]) > 40, where
        assert entry["audiences"] and set(entry["audiences"]) <= set(Audience.values), where
        assert entry["severity"] in Severity.values, where
        assert 3 <= len(entry["actions"]) <= 8 and 1 <= len(entry["evidence"]) <= 6, where
        assert entry["complaint"] in ComplaintAdvice.values and entry["complaint_how"], where
        assert entry["services"] and set(entry["services"]) <= services, where


def test_official_services_can_be_reached():
    for entry in read_yaml("official_services.yaml"):
        assert entry["url"] or entry["phone"] or entry["code"] == "bank", entry["code"]
        assert not entry["url"] or entry["url"].startswith("https://"), entry["code"]


@pytest.mark.django_db
def test_loading_is_idempotent_and_keeps_staff_edits():
    load_taxonomy()
    IncidentType.objects.filter(code="phishing").update(chat_offered=True, name="Hameçonnage (modifié)")
    load_taxonomy()
    assert IncidentType.objects.count() == len(REQUIRED)
    assert OfficialService.objects.count() == len(read_yaml("official_services.yaml"))
    phishing = IncidentType.objects.get(code="phishing")
    assert phishing.chat_offered and phishing.name == "Hameçonnage (modifié)"
    assert phishing.ordered_services()  # in the order of the file
    load_taxonomy(update_existing=True)
    assert IncidentType.objects.get(code="phishing").name != "Hameçonnage (modifié)"
