from dsfr.forms import DsfrBaseForm

from .errors import UserError
from .text import contains_markup

PLAIN_TEXT_ERROR = "Le texte ne doit pas contenir de balises HTML ni de script."


class PlainTextForm(DsfrBaseForm):
    """Refuses markup in every text field: what is typed here is shown to other people."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and contains_markup(value):
                self.add_error(name, PLAIN_TEXT_ERROR)
        return data


def attach_error(form, error: UserError):
    """Show a service's refusal on the field it concerns, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
