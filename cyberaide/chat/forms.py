import uuid

from django import forms
from dsfr.forms import DsfrBaseForm

from .lifecycle import AGENT_OUTCOMES, OUTCOME_LABELS
from .models import Force


class OpenChatForm(DsfrBaseForm):
    postcode = forms.CharField(
        label="Votre code postal",
        help_text="Il indique si la police ou la gendarmerie est compétente chez vous. Par exemple 35000.",
        max_length=10,
        error_messages={"required": "Indiquez votre code postal pour être orienté vers le bon service."},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    commune = forms.ChoiceField(
        label="Votre commune",
        help_text="Plusieurs communes partagent ce code postal : choisissez la vôtre.",
        required=False,
        choices=[],
    )

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        if communes:
            self.fields["commune"].choices = [("", "Choisir une commune")] + [(c.insee_code, c.name) for c in communes]
        else:
            del self.fields["commune"]


class MessageForm(DsfrBaseForm):
    """``client_id`` is drawn when the form is shown: submitting the same form twice stores one message."""

    body = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=False,
        error_messages={"required": "Votre message est vide : écrivez quelque chose avant d'envoyer."},
    )
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=36)

    def __init__(self, *args, label=None, **kwargs):
        kwargs.setdefault("initial", {"client_id": str(uuid.uuid4())})
        super().__init__(*args, **kwargs)
        if label:
            self.fields["body"].label = label


class CloseForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="Issue de la discussion",
        choices=[(o.value, OUTCOME_LABELS[o]) for o in AGENT_OUTCOMES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez l'issue de la discussion."},
    )
    unit = forms.CharField(
        label="Unité destinataire de la fiche de transmission",
        help_text="Pour une plainte, un rendez-vous ou un signalement urgent. Par exemple « Brigade de Gramat ».",
        max_length=200,
        required=False,
    )
    evidence = forms.CharField(
        label="Preuves que détient la victime",
        help_text="Captures d'écran, courriels, relevés bancaires, fichiers…",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    note = forms.CharField(
        label="Observations pour l'unité",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )


class TransferForm(DsfrBaseForm):
    to = forms.ChoiceField(label="Transférer à", error_messages={"required": "Choisissez à qui transférer."})

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = (
            [("", "Choisir")]
            + [(f"agent-{a.pk}", f"{a.display_name} ({a.get_force_display()})") for a in agents]
            + [(f"queue-{value}", f"File d'attente : {label.lower()}") for value, label in Force.choices]
        )
