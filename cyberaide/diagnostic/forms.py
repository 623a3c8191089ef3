from django import forms
from dsfr.forms import DsfrBaseForm

from cyberaide.core.geography import DEPARTEMENT_CHOICES

from .services import DESCRIPTION_MAX_LENGTH


class ChoiceForm(forms.Form):
    """One answer among those the engine offers; the template draws the radio buttons."""

    choice = forms.ChoiceField(error_messages={"required": "Choisissez une réponse pour continuer."})

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c.code, c.label) for c in choices]
        self.fields["choice"].error_messages["invalid_choice"] = "Cette réponse ne fait pas partie des choix proposés."


class DescriptionForm(DsfrBaseForm):
    description = forms.CharField(
        label="Décrivez ce qui vous arrive (facultatif)",
        help_text=(
            "Quelques phrases suffisent. N'indiquez ni votre nom, ni vos coordonnées, ni vos numéros de compte : "
            "les adresses e-mail et les numéros seront effacés."
        ),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Votre description dépasse %(limit_value)d caractères : raccourcissez-la."},
    )


class DepartementForm(DsfrBaseForm):
    departement = forms.ChoiceField(
        label="Votre département (facultatif)",
        help_text="Il nous aide à mesurer la menace près de chez vous. Il n'est jamais lié à votre identité.",
        choices=[("", "Choisir un département")] + DEPARTEMENT_CHOICES,
        error_messages={"invalid_choice": "Ce département n'existe pas.", "required": "Choisissez un département."},
    )
