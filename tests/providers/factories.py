import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.core import communes
from cyberaide.core.expertise import Expertise
from cyberaide.providers.demo import siret_for
from cyberaide.providers.enums import Clientele, ProviderStatus
from cyberaide.providers.models import Provider, ServiceArea, mask_of


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"compte{n}@exemple.fr")
    email = factory.SelfAttribute("username")
    password = factory.django.Password("motdepasse-solide-2026")


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "téléphone"
    confirmed = True


def place(postcode: str):
    return communes.communes_for_postcode(postcode)[0]


class ProviderFactory(factory.django.DjangoModelFactory):
    """A referenced provider in Lyon 3e serving everyone for everything, unless told otherwise."""

    class Meta:
        model = Provider
        skip_postgeneration_save = True

    class Params:
        postcode_ = "69003"
        draft = factory.Trait(status=ProviderStatus.DRAFT, referenced_since=None)

    owner = factory.SubFactory(UserFactory)
    legal_name = factory.Sequence(lambda n: f"Informatique Exemple {n} SARL")
    siret = factory.Sequence(lambda n: siret_for(900_000 + n))
    street = "12 rue de la République"
    postcode = factory.LazyAttribute(lambda o: o.postcode_)
    commune_code = factory.LazyAttribute(lambda o: place(o.postcode_).insee_code)
    commune_name = factory.LazyAttribute(lambda o: place(o.postcode_).name)
    departement = factory.LazyAttribute(lambda o: place(o.postcode_).departement)
    lat = factory.LazyAttribute(lambda o: place(o.postcode_).lat)
    lon = factory.LazyAttribute(lambda o: place(o.postcode_).lon)
    description = "Dépannage informatique et sécurité pour les particuliers et les petites entreprises."
    price_statement = "Diagnostic : 60 € HT, devis gratuit avant toute intervention."
    clientele_mask = mask_of(Clientele.values, Clientele)
    expertise_mask = mask_of(Expertise.values, Expertise)
    radius_km = 30
    remote = False
    status = ProviderStatus.ACCEPTED
    referenced_since = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").timezone.utc)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            for code in extracted if extracted is not None else [self.departement]:
                ServiceArea.objects.create(provider=self, departement=code)
