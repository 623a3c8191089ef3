"""Journey 3, "sécuriser mes systèmes": a professional or a collectivité describes a need in a few questions and
is offered ExpertCyber-labelled providers. Pure data: the questions and how answers map to provider skills."""

from django import forms
from dsfr.forms import DsfrBaseForm

from cyberaide.core.audiences import Audience
from cyberaide.core.expertise import Expertise

AUDIENCES = [(a.value, a.label) for a in (Audience.ENTREPRISE, Audience.ASSOCIATION, Audience.COLLECTIVITE)]
NEEDS = [
    (Expertise.WORKSTATIONS.value, "Les ordinateurs et les serveurs"),
    (Expertise.ACCOUNTS.value, "Les messageries et les comptes en ligne"),
    (Expertise.WEBSITES.value, "Le site internet"),
    (Expertise.NETWORKS.value, "Le réseau, le wifi et la téléphonie"),
    (Expertise.MOBILES.value, "Les téléphones et tablettes professionnels"),
    (Expertise.DATA_RECOVERY.value, "Les sauvegardes des données"),
]
SIZES = [
    ("1-9", "1 à 9 personnes"),
    ("10-49", "10 à 49 personnes"),
    ("50-249", "50 à 249 personnes"),
    ("250+", "250 personnes ou plus"),
]
WHEN = [("mois", "Dans le mois"), ("trimestre", "Dans les trois mois"), ("renseigne", "Je me renseigne")]


class NeedsForm(DsfrBaseForm):
    audience = forms.ChoiceField(
        label="Vous êtes",
        choices=AUDIENCES,
        widget=forms.RadioSelect,
        error_messages={"required": "Dites qui vous êtes."},
    )
    needs = forms.MultipleChoiceField(
        label="Que voulez-vous sécuriser ?",
        choices=NEEDS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un élément à sécuriser."},
    )
    size = forms.ChoiceField(
        label="Combien de personnes utilisent vos outils numériques ?", choices=SIZES, widget=forms.RadioSelect
    )
    when = forms.ChoiceField(label="Quand souhaitez-vous être accompagné ?", choices=WHEN, widget=forms.RadioSelect)
    lieu = forms.CharField(
        label="Votre code postal ou votre commune",
        max_length=100,
        error_messages={"required": "Indiquez votre code postal ou votre commune."},
    )


def described_needs(data: dict) -> list[list[str]]:
    """The answers as [question, answer] pairs, as the provider will read them."""
    labels = dict(NEEDS)
    return [
        ["Vous êtes", dict(AUDIENCES)[data["audience"]]],
        ["À sécuriser", ", ".join(labels[code] for code in data["needs"])],
        ["Taille", dict(SIZES)[data["size"]]],
        ["Échéance", dict(WHEN)[data["when"]]],
    ]
