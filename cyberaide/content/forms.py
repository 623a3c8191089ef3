from django import forms
from dsfr.forms import DsfrBaseForm

from cyberaide.diagnostic.triage import MAX_CHARS

EMAIL_MAX_LENGTH = 254


class SubscriptionForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Votre adresse électronique",
        help_text="Par exemple nom@exemple.fr. Elle ne sert qu'à vous envoyer les alertes.",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n'est pas valable. Vérifiez-la (format nom@exemple.fr).",
            "max_length": "Cette adresse électronique est trop longue.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SearchForm(forms.Form):
    # A pasted message is searched too, up to the size the scam checker accepts.
    q = forms.CharField(max_length=MAX_CHARS, required=False)
