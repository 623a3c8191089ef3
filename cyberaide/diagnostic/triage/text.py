"""What the triage accepts from a victim's text, and the form in which the classifier reads it. Pure Python.

A text is refused with a clear French message (and the victim continues with the questions) when it is empty,
too long, not text, or says nothing beyond an address or a number. Identifiers are scrubbed before anything
else reads the text.
"""

import re
import unicodedata
from dataclasses import dataclass

from cyberaide.core.text import CARD_REMOVED, EMAIL_REMOVED, IBAN_REMOVED, PHONE_REMOVED, scrub_personal_data

# The size of a pasted message the scam checker accepts: the same paste works in both places.
MAX_CHARS = 20_000
MIN_WORDS = 2

_LETTERS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# Each identifier the scrubber removed stays one word for the classifier: that a card number was pasted says
# something about the situation.
PLACEHOLDER_WORDS = {EMAIL_REMOVED: "xemail", IBAN_REMOVED: "xiban", CARD_REMOVED: "xcarte", PHONE_REMOVED: "xnumero"}
_PLACEHOLDER = re.compile("|".join(re.escape(placeholder) for placeholder in PLACEHOLDER_WORDS))
_REPEATED = re.compile(r"(\w)\1{2,}")  # "arnaaaaque" -> "arnaaque"
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class Refused(Exception):
    """A text the triage cannot read; ``message`` says why, in French, and what to do instead."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


REFUSALS = {
    "empty": "Écrivez quelques mots sur ce qui vous arrive, ou répondez aux questions.",
    "too_short": (
        "Un seul mot ne suffit pas pour reconnaître votre situation : ajoutez quelques mots (ce qui s'est passé, "
        "comment), ou répondez aux questions."
    ),
    "too_long": (
        f"Votre texte dépasse {MAX_CHARS:,} caractères : gardez l'essentiel (le message reçu, ce qui s'est "
        "passé), ou répondez aux questions."
    ).replace(f"{MAX_CHARS:,}", f"{MAX_CHARS:,}".replace(",", "\u202f")),
    "not_text": (
        "Ce contenu ne ressemble pas à du texte : décrivez avec vos mots ce qui se passe, ou répondez aux questions."
    ),
    "no_description": (
        "Votre texte ne contient qu'une adresse ou un numéro, que nous avons effacés : dites en quelques mots ce "
        "qui s'est passé, ou répondez aux questions."
    ),
    "not_understood": (
        "Nous n'avons pas compris votre description (elle est peut-être dans une autre langue que le français) : "
        "répondez aux questions, elles vous mèneront aux bons conseils."
    ),
}


def refuse(code: str) -> Refused:
    return Refused(code, REFUSALS[code])


@dataclass(frozen=True)
class Checked:
    """A text the triage can read: scrubbed of e-mail addresses, IBANs, card and phone numbers."""

    scrubbed: str


def _looks_binary(text: str) -> bool:
    if "\x00" in text or "\ufffd" in text:
        return True
    controls = sum(1 for char in text if unicodedata.category(char) in ("Cc", "Cs", "Co") and char not in "\n\r\t")
    return controls > max(2, len(text) // 100)


def check(text: str | None) -> Checked:
    """The scrubbed text, or :class:`Refused`. Nothing is kept here: the caller decides what may be stored."""
    text = (text or "").strip()
    if not text:
        raise refuse("empty")
    if len(text) > MAX_CHARS:
        raise refuse("too_long")
    if _looks_binary(text):
        raise refuse("not_text")
    scrubbed = scrub_personal_data(text)
    words = _LETTERS.findall(_PLACEHOLDER.sub(" ", scrubbed))
    if not words:
        if scrubbed != text:
            raise refuse("no_description")
        raise refuse("too_short" if any(char.isalpha() for char in text) else "not_text")
    if len(words) < MIN_WORDS:
        raise refuse("too_short")
    return Checked(scrubbed=scrubbed)


def normalise(text: str) -> str:
    """What the classifier reads: lower case, no accents, scrubbed identifiers as one word each, letters and
    digits only, long runs of one letter shortened. "Arnaaaque au CPF !!" -> "arnaaque au cpf"."""
    text = _PLACEHOLDER.sub(lambda match: f" {PLACEHOLDER_WORDS[match.group(0)]} ", text)
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", _REPEATED.sub(r"\1\1", plain)).strip()
