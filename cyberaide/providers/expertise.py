"""Which provider skills can help with which incident type.

An incident type that is absent (or maps to nothing) is one where an IT provider cannot help: a phone scam,
a fake investment… The result page then says so instead of proposing providers.
"""

from .enums import Expertise

EXPERTISE_FOR_INCIDENT: dict[str, tuple[Expertise, ...]] = {
    "phishing": (Expertise.ACCOUNTS, Expertise.WORKSTATIONS),
    "scam_sms": (Expertise.MOBILES,),
    "email_spam": (Expertise.ACCOUNTS,),
    "account_hacking": (Expertise.ACCOUNTS,),
    "ransomware": (Expertise.WORKSTATIONS, Expertise.DATA_RECOVERY, Expertise.NETWORKS),
    "malware": (Expertise.WORKSTATIONS, Expertise.MOBILES),
    "stealer": (Expertise.WORKSTATIONS, Expertise.ACCOUNTS),
    "stalkerware": (Expertise.MOBILES,),
    "fake_tech_support": (Expertise.WORKSTATIONS,),
    "cyberharassment": (Expertise.ACCOUNTS,),
    "ceo_fraud": (Expertise.ACCOUNTS,),
    "fake_invoice": (Expertise.ACCOUNTS,),
    "data_breach": (Expertise.WORKSTATIONS, Expertise.NETWORKS, Expertise.WEBSITES),
    "defacement": (Expertise.WEBSITES,),
    "ddos": (Expertise.WEBSITES, Expertise.NETWORKS),
    "repair_fraud": (Expertise.WORKSTATIONS,),
    "pbx_hacking": (Expertise.NETWORKS,),
    "iot_hacking": (Expertise.NETWORKS,),
    "lost_device": (Expertise.MOBILES, Expertise.DATA_RECOVERY),
    "domain_abuse": (Expertise.WEBSITES,),
    "system_compromise": (Expertise.WORKSTATIONS, Expertise.NETWORKS),
}


def expertise_for(incident_code: str) -> tuple[Expertise, ...]:
    return EXPERTISE_FOR_INCIDENT.get(incident_code, ())
