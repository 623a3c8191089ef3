from django import forms
from dsfr.forms import DsfrBaseForm

from cyberaide.core.forms import PlainTextForm
from cyberaide.diagnostic.models import IncidentType

from .models import InterventionReport
from .services import MESSAGE_MAX_LENGTH


class PlaceForm(DsfrBaseForm):
    lieu = forms.CharField(
        label="Votre code postal ou votre commune",
        max_length=100,
        help_text="Par exemple 69003 ou Lyon. Il sert seulement à trouver des prestataires proches.",
        error_messages={"required": "Indiquez votre code postal ou votre commune."},
    )


class RequestForm(PlainTextForm):
    contact_name = forms.CharField(label="Votre nom", max_length=100)
    contact_email = forms.EmailField(
        label="Votre adresse e-mail", help_text="Pour recevoir le lien de suivi de votre demande."
    )
    contact_phone = forms.CharField(label="Votre téléphone (facultatif)", max_length=20, required=False)
    message = forms.CharField(
        label="Votre message au prestataire (facultatif)",
        help_text="N'y mettez jamais de mot de passe, de code ni de coordonnées bancaires.",
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label="J'accepte que mes coordonnées et le résumé de mon diagnostic soient transmis à ce prestataire",
        error_messages={"required": "Cochez la case pour accepter que vos coordonnées soient transmises."},
    )


class RatingForm(PlainTextForm):
    score = forms.TypedChoiceField(
        label="Votre note",
        choices=[(n, f"{n} sur 5") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une note.", "invalid_choice": "Choisissez une note de 1 à 5."},
    )
    comment = forms.CharField(
        label="Votre commentaire (facultatif)",
        help_text="Il sera relu par notre équipe avant d'être publié. N'y indiquez pas de données personnelles.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(PlainTextForm):
    incident_confirmed = forms.TypedChoiceField(
        label="Le diagnostic était-il juste ?",
        choices=[("1", "Oui, c'était bien cet incident"), ("0", "Non, il s'agissait d'autre chose")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    incident = forms.ModelChoiceField(
        label="Si non, de quel incident s'agissait-il ?",
        queryset=IncidentType.objects.order_by("name"),
        required=False,
        empty_label="Choisir un incident",
    )
    sector = forms.ChoiceField(
        label="Secteur d'activité de la victime", choices=InterventionReport.Sector.choices, required=False
    )
    actions = forms.CharField(
        label="Ce que vous avez fait",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Les actions menées, sans données personnelles de la victime.",
    )
    outcome = forms.ChoiceField(
        label="Issue de l'intervention", choices=InterventionReport.Outcome.choices, widget=forms.RadioSelect
    )
