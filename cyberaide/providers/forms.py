"""One form per application step, plus the forms of the provider's space. Services do the writing."""

from django import forms
from dsfr.forms import DsfrBaseForm
from stdnum.fr import siret as siret_number

from cyberaide.core import communes
from cyberaide.core.expertise import Expertise
from cyberaide.core.forms import PlainTextForm
from cyberaide.core.geography import DEPARTEMENT_CHOICES

from .enums import Clientele


def clean_siret(value: str) -> str:
    digits = "".join(value.split())
    if not digits.isdigit() or len(digits) != 14:
        raise forms.ValidationError("Un SIRET compte 14 chiffres (SIREN de 9 chiffres puis 5 chiffres).")
    if not siret_number.is_valid(digits):
        raise forms.ValidationError(
            "Ce numéro SIRET n'est pas valide : vérifiez-le sur votre extrait Kbis ou l'avis de situation Insee."
        )
    return digits


class IdentityForm(PlainTextForm):
    legal_name = forms.CharField(label="Raison sociale", max_length=200)
    siret = forms.CharField(label="Numéro SIRET", max_length=20, help_text="14 chiffres, espaces acceptés.")
    phone = forms.CharField(label="Téléphone affiché aux victimes", max_length=20, required=False)
    public_email = forms.EmailField(label="Adresse e-mail affichée aux victimes", required=False)
    website = forms.URLField(label="Site internet", required=False, assume_scheme="https")

    def clean_siret(self):
        return clean_siret(self.cleaned_data["siret"])


class AddressForm(PlainTextForm):
    street = forms.CharField(label="Adresse (numéro et voie)", max_length=200)
    postcode = forms.CharField(label="Code postal", max_length=5, min_length=5)
    commune = forms.CharField(
        label="Commune",
        max_length=100,
        required=False,
        help_text="Facultatif si le code postal ne couvre qu'une commune.",
    )

    def clean(self):
        data = super().clean()
        postcode = data.get("postcode", "")
        if not postcode:
            return data
        candidates = communes.communes_for_postcode(postcode)
        if not candidates:
            self.add_error("postcode", "Ce code postal n'existe pas. Vérifiez-le.")
            return data
        typed = communes.normalise(data.get("commune", ""))
        chosen = [c for c in candidates if communes.normalise(c.name) == typed] if typed else []
        if not chosen and len(candidates) == 1:
            chosen = candidates
        if len(chosen) != 1:
            names = ", ".join(c.name for c in candidates)
            self.add_error("commune", f"Indiquez votre commune parmi celles de ce code postal : {names}.")
            return data
        data["commune_code"] = chosen[0].insee_code
        return data


class ActivityForm(PlainTextForm):
    description = forms.CharField(
        label="Présentation de votre activité",
        help_text="Deux ou trois phrases lues par les victimes : ce que vous faites, pour qui.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    clientele = forms.MultipleChoiceField(
        label="Clientèle",
        choices=Clientele.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une clientèle."},
    )
    expertise = forms.MultipleChoiceField(
        label="Domaines de compétence",
        choices=Expertise.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un domaine de compétence."},
    )
    price_statement = forms.CharField(
        label="Vos prix",
        help_text="Vos tarifs habituels (par exemple le prix d'un diagnostic) et vos conditions de devis.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AreaForm(DsfrBaseForm):
    departements = forms.MultipleChoiceField(
        label="Départements où vous vous déplacez",
        choices=DEPARTEMENT_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Maintenez Ctrl (ou Cmd) pour en choisir plusieurs.",
    )
    radius_km = forms.IntegerField(
        label="Rayon d'intervention autour de votre adresse (km)",
        min_value=0,
        max_value=300,
        initial=0,
        required=False,
    )
    remote = forms.BooleanField(label="Je propose aussi l'assistance à distance", required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("departements") or data.get("radius_km") or data.get("remote")):
            raise forms.ValidationError(
                "Indiquez au moins un département, un rayon d'intervention ou l'assistance à distance."
            )
        data["radius_km"] = data.get("radius_km") or 0
        return data


class PracticalDetailsForm(AreaForm, PlainTextForm):
    """What a referenced provider updates itself: contacts, presentation, prices and area."""

    phone = IdentityForm.base_fields["phone"]
    public_email = IdentityForm.base_fields["public_email"]
    website = IdentityForm.base_fields["website"]
    description = ActivityForm.base_fields["description"]
    price_statement = ActivityForm.base_fields["price_statement"]
    field_order = ["phone", "public_email", "website", "description", "price_statement"]


class CharterForm(DsfrBaseForm):
    accept = forms.BooleanField(
        label="J'ai lu la charte et je m'engage à la respecter au nom de mon entreprise",
        error_messages={"required": "Cochez la case pour accepter la charte."},
    )


class DeclineForm(PlainTextForm):
    reason = forms.CharField(
        label="Motif du refus (transmis à la victime)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez pourquoi vous ne pouvez pas prendre cette demande."},
    )
