from django import forms
from dsfr.forms import DsfrBaseForm

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
    q = forms.CharField(max_length=200, required=False)
