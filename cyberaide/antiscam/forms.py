from django import forms
from dsfr.forms import DsfrBaseForm

from .extract import MAX_TEXT_CHARS, NOT_TEXT


def pasted_text_field(*, label: str, help_text: str, rows: int) -> forms.CharField:
    """A pasted link, number, address, IBAN or whole message, read by the extraction (same limit, same errors)."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Collez un lien, un numéro, une adresse e-mail, un IBAN ou le texte d'un message.",
            "max_length": (
                "Le texte est trop long : collez au plus %(limit_value)d caractères, par exemple seulement le "
                "message reçu."
            ),
            "null_characters_not_allowed": NOT_TEXT,
        },
    )


class CheckForm(DsfrBaseForm):
    texte = pasted_text_field(
        label="Ce que vous voulez vérifier",
        help_text=(
            "Un lien, un numéro de téléphone, une adresse e-mail, un IBAN, ou tout le texte d'un SMS ou d'un e-mail. "
            "Ce que vous collez n'est pas conservé."
        ),
        rows=6,
    )


class ReportTextForm(DsfrBaseForm):
    texte = pasted_text_field(
        label="Ce que l'escroc a utilisé",
        help_text=(
            "Le lien reçu, l'adresse du faux site, le numéro qui vous a appelé, l'adresse e-mail, l'IBAN, ou tout le "
            "texte du message. Nous ne gardons que ces éléments, sans rien qui vous concerne."
        ),
        rows=4,
    )


class ContestForm(DsfrBaseForm):
    adresse = forms.CharField(
        label="L'adresse du site, le numéro ou l'adresse e-mail inscrit sur la liste",
        help_text="Par exemple https://www.exemple.fr, tel qu'il apparaît dans l'avertissement.",
        max_length=2000,
        error_messages={
            "required": "Indiquez ce qui est inscrit sur la liste.",
            "max_length": "Cette adresse est trop longue.",
        },
    )
    nom = forms.CharField(
        label="Votre nom ou celui de votre organisme",
        max_length=200,
        error_messages={"required": "Indiquez votre nom ou celui de votre organisme."},
    )
    email = forms.EmailField(
        label="Votre adresse e-mail",
        help_text="Pour vous envoyer notre réponse. Format attendu : nom@exemple.fr",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail pour recevoir notre réponse.",
            "invalid": "Cette adresse e-mail n'est pas valide. Format attendu : nom@exemple.fr",
        },
    )
    explication = forms.CharField(
        label="Pourquoi cette inscription est-elle une erreur ?",
        help_text=(
            "Dites qui vous êtes pour ce site et ce que vous avez fait s'il a été piraté. 3 000 caractères au plus."
        ),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Expliquez en quelques phrases pourquoi cette inscription est une erreur.",
            "max_length": "Votre explication dépasse %(limit_value)d caractères : raccourcissez-la.",
        },
    )
    proprietaire = forms.BooleanField(
        label="Je suis le responsable de ce site, de ce numéro ou de cette adresse, ou j'agis pour lui.",
        error_messages={"required": "Seul le responsable peut contester : cochez la case si c'est votre cas."},
    )
