"""Realistic, fictional providers across France (density following population), for `make run` and the bench.

Names, streets, descriptions and prices are drawn from ``data/demo_names.yaml`` (written for Cyberaide); places
from the communes table. Every SIRET is valid (Luhn) and unique; no real company is named.
"""

import random
from datetime import timedelta
from pathlib import Path

import yaml
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from cyberaide.accounts.models import User
from cyberaide.core import communes
from cyberaide.core.expertise import Expertise

from .enums import Clientele, ProviderStatus
from .models import Label, Provider, ServiceArea, mask_of

NAMES = Path(__file__).resolve().parent / "data" / "demo_names.yaml"
STATUS_WEIGHTS = {
    ProviderStatus.ACCEPTED: 90,
    ProviderStatus.SUBMITTED: 3,
    ProviderStatus.INFO_REQUESTED: 1,
    ProviderStatus.DRAFT: 2,
    ProviderStatus.REFUSED: 2,
    ProviderStatus.SUSPENDED: 1,
    ProviderStatus.DELISTED: 1,
}
CLIENTELE_MIXES = [
    ((Clientele.PARTICULIERS, Clientele.PROFESSIONNELS), 45),
    ((Clientele.PROFESSIONNELS,), 18),
    ((Clientele.PARTICULIERS, Clientele.PROFESSIONNELS, Clientele.COLLECTIVITES), 22),
    ((Clientele.PROFESSIONNELS, Clientele.COLLECTIVITES), 7),
    ((Clientele.PARTICULIERS,), 8),
]
EXPERTISE_WEIGHTS = {
    Expertise.WORKSTATIONS: 90,
    Expertise.ACCOUNTS: 60,
    Expertise.NETWORKS: 55,
    Expertise.MOBILES: 45,
    Expertise.DATA_RECOVERY: 40,
    Expertise.WEBSITES: 35,
}
# The providers' user accounts cannot sign in: they only exist because a provider belongs to someone.
UNUSABLE_PASSWORD = make_password(None)


def siret_for(number: int) -> str:
    siren8 = f"{40_000_000 + number:08d}"
    siren = siren8 + luhn.calc_check_digit(siren8)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


def weighted(rng: random.Random, entries):
    """Pick from [value, weight] pairs or plain values."""
    if entries and isinstance(entries[0], list | tuple):
        values, weights = zip(*entries, strict=True)
        return rng.choices(values, weights=weights)[0]
    return rng.choice(entries)


class Generator:
    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)
        self.names = yaml.safe_load(NAMES.read_text(encoding="utf-8"))
        self.places = [c for c in communes.all_communes() if c.population > 0]
        self.place_weights = [c.population for c in self.places]
        self.departement_centres = self._departement_centres()
        self._neighbours: dict[tuple[str, float], list[str]] = {}

    def _departement_centres(self) -> dict[str, tuple[float, float]]:
        sums: dict[str, list[float]] = {}
        for commune in self.places:
            entry = sums.setdefault(commune.departement, [0.0, 0.0, 0.0])
            entry[0] += commune.lat * commune.population
            entry[1] += commune.lon * commune.population
            entry[2] += commune.population
        return {code: (lat / weight, lon / weight) for code, (lat, lon, weight) in sums.items() if weight}

    def legal_name(self) -> str:
        rng, names = self.rng, self.names
        pattern = rng.choice(names["name_patterns"])
        name = pattern.format(
            core=rng.choice(names["cores"]),
            suffix=rng.choice(names["suffixes"]),
            surname=rng.choice(names["surnames"]),
            town="{town}",
            initials="".join(rng.choice("ABCDEFGHJKLMNPRST") for _ in range(rng.choice([2, 3]))),
        )
        return f"{name} {weighted(rng, names['legal_forms'])}"

    def neighbours(self, departement: str, within_km: float) -> list[str]:
        key = (departement, within_km)
        if key not in self._neighbours:
            lat, lon = self.departement_centres[departement]
            self._neighbours[key] = [
                code
                for code, (other_lat, other_lon) in self.departement_centres.items()
                if code != departement and communes.distance_km(lat, lon, other_lat, other_lon) <= within_km
            ]
        return self._neighbours[key]

    def provider_fields(self, number: int) -> tuple[dict, list[str]]:
        rng, names = self.rng, self.names
        place = rng.choices(self.places, weights=self.place_weights)[0]
        clientele = rng.choices([mix for mix, _ in CLIENTELE_MIXES], weights=[w for _, w in CLIENTELE_MIXES])[0]
        expertise = {e for e in Expertise if rng.random() < EXPERTISE_WEIGHTS[e] / 100} or {Expertise.WORKSTATIONS}
        legal_name = self.legal_name().replace("{town}", place.name)
        neighbours = self.neighbours(place.departement, rng.choice([0, 60, 100, 140]))
        departements = [place.departement] + rng.sample(neighbours, min(len(neighbours), rng.randint(0, 4)))
        rated = rng.random() < 0.6
        rating_count = rng.randint(1, 40) if rated else 0
        fields = {
            "legal_name": legal_name,
            "siret": siret_for(number),
            "street": f"{rng.randint(1, 120)} {rng.choice(names['street_types'])} {rng.choice(names['street_names'])}",
            "postcode": rng.choice(place.postcodes),
            "commune_code": place.insee_code,
            "commune_name": place.name,
            "departement": place.departement,
            # A few hundred metres around the commune's centre, so that neighbours do not overlap exactly.
            "lat": round(place.lat + rng.uniform(-0.01, 0.01), 5),
            "lon": round(place.lon + rng.uniform(-0.01, 0.01), 5),
            "phone": f"0{rng.randint(1, 5)} {' '.join(f'{rng.randint(0, 99):02d}' for _ in range(4))}",
            "public_email": f"contact{number}@prestataire.example",
            "description": rng.choice(names["descriptions"]),
            "clientele_mask": mask_of(clientele, Clientele),
            "expertise_mask": mask_of(expertise, Expertise),
            "radius_km": rng.choice([0, 20, 30, 50, 80]),
            "remote": rng.random() < 0.55,
            "price_statement": rng.choice(names["price_statements"]),
            "status": rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0],
            "rating_count": rating_count,
            "rating_sum": round(rating_count * rng.uniform(3.4, 4.9)),
        }
        return fields, departements


@transaction.atomic
def create_providers(count: int, *, seed: int = 2026, first_number: int = 0, batch_size: int = 2000) -> int:
    """Create ``count`` providers with their owner accounts, areas and, for about one in eight, a label."""
    generator = Generator(seed)
    now = timezone.now()
    today = timezone.localdate()
    created = 0
    for start in range(first_number, first_number + count, batch_size):
        numbers = range(start, min(start + batch_size, first_number + count))
        users = User.objects.bulk_create(
            User(username=f"prestataire-{n}@demo.cyberaide.example", password=UNUSABLE_PASSWORD) for n in numbers
        )
        rows = [generator.provider_fields(n) for n in numbers]
        providers = []
        for user, (fields, _) in zip(users, rows, strict=True):
            referenced = fields["status"] in (ProviderStatus.ACCEPTED, ProviderStatus.SUSPENDED)
            since = now - timedelta(days=generator.rng.randint(10, 1500)) if referenced else None
            providers.append(Provider(owner=user, referenced_since=since, **fields))
        providers = Provider.objects.bulk_create(providers)
        ServiceArea.objects.bulk_create(
            ServiceArea(provider=provider, departement=code)
            for provider, (_, departements) in zip(providers, rows, strict=True)
            for code in departements
        )
        labels = []
        for provider in providers:
            if provider.status == ProviderStatus.ACCEPTED and generator.rng.random() < 0.14:
                valid_from = today - timedelta(days=generator.rng.randint(0, 700))
                labels.append(
                    Label(provider=provider, valid_from=valid_from, valid_until=valid_from + timedelta(days=730))
                )
        Label.objects.bulk_create(labels)
        created += len(providers)
    return created
