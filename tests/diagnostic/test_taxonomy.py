"""The incident taxonomy, the official services and the result texts shipped with Cyberaide are complete and
consistent."""

import pytest

from cyberaide.core.audiences import Audience
from cyberaide.diagnostic import engine
from cyberaide.diagnostic.graphs import read_default_version
from cyberaide.diagnostic.models import IncidentType, OfficialService
from cyberaide.diagnostic.taxonomy import load_taxonomy, read_yaml

# Every incident type PRODUCT.md says the diagnostic must recognise, and the forms of cyber-malice of the national
# service that the situation-aware diagnosis added.
REQUIRED = {
    "phishing", "scam_sms", "phone_scam", "email_spam", "account_hacking", "ransomware", "malware", "stealer",
    "stalkerware", "fake_tech_support", "fake_bank_adviser", "card_fraud", "identity_theft", "cyberharassment",
    "sextortion_bluff", "intimate_image_extortion", "romance_scam", "ceo_fraud", "fake_invoice", "data_breach",
    "defacement", "ddos", "fake_shop", "p2p_sale_scam", "investment_scam", "fake_job", "repair_fraud",
    "pbx_hacking", "iot_hacking", "lost_device", "illicit_content", "recovery_scam", "domain_abuse",
    "system_compromise",
    # family or friend impersonation, fake summons, hacked CMS site, business e-mail compromise, malware in an
    # organisation's network, a relative's misuse of a card, server compromise, QR code, SIM swap, crypto-wallet
    # theft, fake rental, fake loan, fake charity, delivery scam by phone, marketplace seller's account
    "relative_impersonation", "fake_summons", "website_hacked", "bec", "network_malware", "card_misuse_relative",
    "server_compromise", "qr_code_scam", "sim_swap", "crypto_wallet_theft", "fake_rental", "fake_loan",
    "fake_charity", "delivery_phone_scam", "marketplace_account_takeover",
}  # fmt: skip
# Services that have neither an address nor a number of their own: the victim's bank, operator, insurer, the site.
WITHOUT_CONTACT = {"bank", "platform_report", "phone_operator", "insurer"}


def test_at_least_fifty_incident_types_with_every_required_one():
    incidents = read_yaml("incidents.yaml")
    codes = [entry["code"] for entry in incidents]
    assert len(codes) == len(set(codes)) >= 50
    assert REQUIRED <= set(codes)
    for entry in incidents:
        assert entry["name"] and entry["audiences"] and set(entry["audiences"]) <= set(Audience.values), entry


def test_every_incident_has_full_texts_for_each_audience_group_it_concerns():
    _, _, advice = read_default_version()
    audiences = {entry["code"]: entry["audiences"] for entry in read_yaml("incidents.yaml")}
    texts = engine.load_advice(advice, audiences)  # refuses a missing group or an empty field
    for code, by_group in texts.items():
        assert set(by_group) == set(engine.advice.groups_of(audiences[code])), code
        for group, advice_text in by_group.items():
            where = f"{code} ({group})"
            assert 80 <= len(advice_text.summary) <= 700, where
            assert 3 <= len(advice_text.actions) <= 8 and 2 <= len(advice_text.evidence) <= 6, where
            assert len(advice_text.complaint_how) > 40, where
            if group == "professionnel":  # online complaints and card reports are for individuals only
                assert "THESEE" not in advice_text.complaint_how and "Perceval" not in " ".join(advice_text.actions)


def test_official_services_can_be_reached_and_say_who_they_serve():
    for entry in read_yaml("official_services.yaml"):
        assert entry["url"] or entry["phone"] or entry["code"] in WITHOUT_CONTACT, entry["code"]
        assert not entry["url"] or entry["url"].startswith("https://"), entry["code"]
        assert set(entry.get("audiences") or []) <= set(Audience.values), entry["code"]
    restricted = {entry["code"]: entry.get("audiences") for entry in read_yaml("official_services.yaml")}
    assert restricted["thesee"] == restricted["perceval"] == ["particulier"]
    assert "particulier" not in restricted["csirt"] and "particulier" not in restricted["cnil_notification"]


@pytest.mark.django_db
def test_loading_is_idempotent_and_keeps_staff_edits():
    load_taxonomy()
    IncidentType.objects.filter(code="phishing").update(name="Hameçonnage (modifié)")
    load_taxonomy()
    assert IncidentType.objects.count() == len(read_yaml("incidents.yaml"))
    assert OfficialService.objects.count() == len(read_yaml("official_services.yaml"))
    assert IncidentType.objects.get(code="phishing").name == "Hameçonnage (modifié)"
    assert OfficialService.objects.get(code="thesee").audiences == ["particulier"]
    load_taxonomy(update_existing=True)
    assert IncidentType.objects.get(code="phishing").name != "Hameçonnage (modifié)"


def test_the_texts_name_thesee_only_where_the_rules_offer_it(default_graph):
    _, _, advice = read_default_version()
    for code, by_group in advice.items():
        offered = (
            "thesee" in default_graph.rules.base(code, "particulier").services if "particulier" in by_group else False
        )
        for group, texts in by_group.items():
            named = "THESEE" in " ".join([texts["summary"], texts["complaint_how"], *texts["actions"]])
            assert not named or (group == "particulier" and offered), f"{code} ({group}) names THESEE"
