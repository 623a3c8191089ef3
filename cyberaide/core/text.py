"""Checks and clean-up for text typed by the public."""

import re

from stdnum import iban as iban_number
from stdnum import luhn

HTML_TAG = re.compile(r"<\s*[a-zA-Z!/?]")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
# Runs of 9 digits or more, possibly split by spaces, dots, dashes or slashes, optionally after + or 00.
DIGIT_RUN = re.compile(r"(?<![\w])(?:\+|00)?\d(?:[ .\-/]?\d){8,}(?![\w])")

EMAIL_REMOVED = "[adresse e-mail retirée]"
IBAN_REMOVED = "[IBAN retiré]"
CARD_REMOVED = "[numéro de carte retiré]"
PHONE_REMOVED = "[numéro retiré]"


def contains_markup(text: str) -> bool:
    return bool(HTML_TAG.search(text))


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _replace_iban(match: re.Match) -> str:
    candidate = match.group(0).replace(" ", "").upper()
    return IBAN_REMOVED if iban_number.is_valid(candidate) or candidate[:2] == "FR" else match.group(0)


def _replace_digit_run(match: re.Match) -> str:
    digits = _digits(match.group(0))
    if 13 <= len(digits) <= 19 and luhn.is_valid(digits):
        return CARD_REMOVED
    return PHONE_REMOVED


def scrub_personal_data(text: str) -> str:
    """Remove e-mail addresses, IBANs, card numbers and phone numbers (any long run of digits)."""
    text = EMAIL.sub(EMAIL_REMOVED, text)
    text = IBAN.sub(_replace_iban, text)
    return DIGIT_RUN.sub(_replace_digit_run, text)
