"""A demonstration provider account with requests at every stage, so that `make run` shows a living space."""

from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.core import communes
from cyberaide.core.expertise import Expertise
from cyberaide.diagnostic.services import create_result
from cyberaide.providers import services as provider_services
from cyberaide.providers.demo import siret_for
from cyberaide.providers.enums import Clientele, ProviderStatus
from cyberaide.providers.models import Provider, ServiceArea, mask_of
from cyberaide.providers.selectors import Place

from . import services
from .models import Rating

DEMO_PROVIDER_EMAIL = "prestataire@cyberaide.example"

VICTIMS = [
    (
        "ransomware",
        "entreprise",
        {"s_activity": "stopped", "s_others_data": "je_ne_sais_pas"},
        "Boulangerie Martin",
        "Tous nos fichiers ont une extension bizarre ce matin.",
    ),
    (
        "account_hacking",
        "particulier",
        {"s_recovered": "locked_out", "s_money": "none"},
        "Lucie Bernard",
        "Je n'arrive plus à me connecter à ma messagerie.",
    ),
    (
        "fake_tech_support",
        "particulier",
        {"s_device": "installed", "s_money": "none"},
        "Jean Petit",
        "Un message m'a bloqué l'écran avec un numéro à appeler.",
    ),
]


def create_demo_provider(password: str, totp_key: str) -> Provider | None:
    if User.objects.filter(username=DEMO_PROVIDER_EMAIL).exists():
        return None
    user = User.objects.create_user(
        DEMO_PROVIDER_EMAIL, email=DEMO_PROVIDER_EMAIL, password=password, first_name="Camille", last_name="Roux"
    )
    TOTPDevice.objects.create(user=user, name="Démonstration", key=totp_key, confirmed=True)
    lyon = communes.communes_for_postcode("69003")[0]
    provider = Provider.objects.create(
        owner=user,
        legal_name="Octet Sûr Lyon SARL",
        siret=siret_for(999_999),
        street="18 cours Gambetta",
        postcode="69003",
        commune_code=lyon.insee_code,
        commune_name=lyon.name,
        departement=lyon.departement,
        lat=lyon.lat,
        lon=lyon.lon,
        phone="04 78 00 12 34",
        public_email="contact@octet-sur.example",
        description="Dépannage, sécurisation et récupération de données pour les particuliers, TPE et mairies "
        "de la métropole de Lyon. Intervention sur site ou à distance.",
        clientele_mask=mask_of(Clientele.values, Clientele),
        expertise_mask=mask_of(Expertise.values, Expertise),
        radius_km=40,
        remote=True,
        price_statement="Diagnostic à distance : 45 € HT la demi-heure. Sur site : 70 € HT de l'heure, "
        "devis gratuit avant toute intervention.",
        status=ProviderStatus.ACCEPTED,
        referenced_since=timezone.now() - timedelta(days=400),
    )
    ServiceArea.objects.bulk_create(ServiceArea(provider=provider, departement=code) for code in ("69", "01", "38"))
    provider_services.grant_label(provider, by=None, valid_from=timezone.localdate() - timedelta(days=200))
    place = Place(lyon.name, "69003", lyon.departement, lyon.lat, lyon.lon)
    requests = []
    for incident, audience, situation, name, message in VICTIMS:
        result = create_result(
            audience=audience,
            incident_code=incident,
            situation=situation,
            answers=[{"question": "Que s'est-il passé ?", "answer": message}],
        )
        request, _ = services.create_request(
            provider=provider,
            place=place,
            contact=services.Contact(name, f"{name.split()[-1].lower()}@victime.example", "06 00 00 00 00", message),
            consent=True,
            result=result,
            expertise=tuple(result.provider_expertise),
        )
        requests.append(request)
    # One closed and rated, one in progress, one new.
    services.provider_action(requests[1], "accept", provider=provider, by=user)
    services.provider_action(requests[1], "start", provider=provider, by=user)
    services.provider_action(requests[2], "accept", provider=provider, by=user)
    services.provider_action(requests[2], "start", provider=provider, by=user)
    services.close_with_report(
        requests[2],
        provider=provider,
        by=user,
        incident_confirmed=True,
        incident=None,
        actions="Suppression du faux message d'alerte, analyse antivirus, conseils à la victime.",
        outcome="resolved",
    )
    rating = services.rate(requests[2], score=5, comment="Rapide et très clair, merci !")
    services.moderate(rating, publish=True, by=None)
    Rating.objects.filter(pk=rating.pk).update(created_at=timezone.now() - timedelta(days=3))
    return provider
