from datetime import date

from django import forms
from dsfr.forms import DsfrBaseForm

from cyberaide.core.audiences import Audience

from .publication import ALL
from .selectors import AUDIENCE_PLURALS, full_month_label

AUDIENCE_CHOICES = [(ALL, "Tous les publics"), *[(code, AUDIENCE_PLURALS[code]) for code in Audience.values]]
INVERTED_PERIOD = "Le mois de fin doit venir après le mois de début (ou être le même)."


def is_inverted(data: dict) -> bool:
    """Months written YYYY-MM compare as text."""
    return bool(data.get("debut") and data.get("fin") and data["debut"] > data["fin"])


class PeriodForm(DsfrBaseForm):
    """The observatory's filters: a period of published months and an audience. Only published months can be
    chosen, so an unknown, inverted or out-of-range period is refused with a clear message."""

    debut = forms.ChoiceField(label="Du mois de", error_messages={"invalid_choice": "Choisissez un mois publié."})
    fin = forms.ChoiceField(
        label="Au mois de (inclus)", error_messages={"invalid_choice": "Choisissez un mois publié."}
    )
    public = forms.ChoiceField(
        label="Public",
        choices=AUDIENCE_CHOICES,
        error_messages={"invalid_choice": "Ce public n'existe pas : choisissez-en un dans la liste."},
    )

    def __init__(self, data, *, months, **kwargs):
        self.months = months
        super().__init__(data, **kwargs)
        choices = [(f"{month:%Y-%m}", full_month_label(month)) for month in months]
        self.fields["debut"].choices = choices
        self.fields["fin"].choices = choices
        if months:
            first, last = choices[0][1], choices[-1][1]
            message = f"Choisissez un mois publié, de {first} à {last}."
            self.fields["debut"].error_messages["invalid_choice"] = message
            self.fields["fin"].error_messages["invalid_choice"] = message

    def clean(self):
        data = super().clean()
        if is_inverted(data):
            self.add_error("fin", INVERTED_PERIOD)
        return data

    def selected_months(self):
        start, end = self.cleaned_data["debut"], self.cleaned_data["fin"]
        return [month for month in self.months if start <= f"{month:%Y-%m}" <= end]


def default_filters(months) -> dict:
    """The last twelve published months, all audiences."""
    recent = months[-12:]
    return {"debut": f"{recent[0]:%Y-%m}", "fin": f"{recent[-1]:%Y-%m}", "public": ALL}


def month_field(invalid: str) -> forms.RegexField:
    """An optional month written YYYY-MM, from 1900 to 2199."""
    return forms.RegexField(
        regex=r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$", required=False, error_messages={"invalid": invalid}
    )


class DownloadForm(forms.Form):
    """Optional filters of the open-data files: months as YYYY-MM, an audience. Any month may be asked for (the
    files simply hold the published ones within the period); a malformed or inverted period is refused."""

    debut = month_field("Le mois de début s'écrit AAAA-MM, par exemple 2026-01.")
    fin = month_field("Le mois de fin s'écrit AAAA-MM, par exemple 2026-12.")
    public = forms.ChoiceField(
        choices=AUDIENCE_CHOICES,
        required=False,
        error_messages={
            "invalid_choice": "Public inconnu : choisissez particulier, entreprise, association, collectivite ou tous."
        },
    )

    def clean(self):
        data = super().clean()
        if is_inverted(data):
            raise forms.ValidationError(INVERTED_PERIOD)
        return data

    def filters(self) -> dict:
        """Keyword arguments for ``opendata.rows``."""
        data = self.cleaned_data
        return {
            "start": _first_day(data["debut"]) if data.get("debut") else None,
            "end": _first_day(data["fin"]) if data.get("fin") else None,
            "audience": data.get("public") or None,
        }

    def first_error(self) -> str:
        return next(error for errors in self.errors.values() for error in errors)


def _first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)
