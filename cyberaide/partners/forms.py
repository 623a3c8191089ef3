from django import forms
from dsfr.forms import DsfrBaseForm

from cyberaide.core.text import contains_markup

from .models import Partner
from .origins import OriginError, parse_origins


class PartnerApplicationForm(DsfrBaseForm):
    name = forms.CharField(label="Nom de l'organisme", max_length=200)
    kind = forms.ChoiceField(label="Type d'organisme", choices=Partner.Kind.choices)
    website = forms.URLField(
        label="Site principal", help_text="Par exemple https://www.mairie-exemple.fr", assume_scheme="https"
    )
    origins = forms.CharField(
        label="Sites qui afficheront le module",
        help_text="Une adresse par ligne, sans page : https://www.mairie-exemple.fr (5 au plus, en HTTPS).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_name = forms.CharField(label="Nom de la personne à contacter", max_length=100)
    contact_email = forms.EmailField(label="Son adresse e-mail professionnelle")
    reason = forms.CharField(
        label="Pourquoi souhaitez-vous proposer le module ? (facultatif)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    engagement = forms.BooleanField(
        label="Nous nous engageons à afficher le module sans le modifier ni le masquer, et à le retirer si "
        "Cyberaide nous le demande.",
        error_messages={"required": "Cet engagement est nécessaire pour recevoir le module."},
    )

    def clean_origins(self):
        try:
            return parse_origins(self.cleaned_data["origins"])
        except OriginError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        for field in ("name", "contact_name", "reason"):
            if contains_markup(data.get(field) or ""):
                self.add_error(field, "Ce texte ne doit pas contenir de balises HTML.")
        return data
