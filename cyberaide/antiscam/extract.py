"""Find the indicators (web addresses, e-mail addresses, phone numbers, IBANs) in a pasted SMS or e-mail.

Pure Python (no Django). One regular expression scans the text once, left to right; its alternatives are tried in
this order at each position, and the leftmost match wins, so nothing is reported twice (the domain of an e-mail
address is not also a web address, the digits of an IBAN or of a URL are not a phone number):

1. web address with a scheme: ``http://``, ``https://`` or defanged ``hxxp://``, ``hxxps://``, ``http[:]//``;
2. e-mail address;
3. address starting with ``www.`` (``www2.`` …);
4. bare domain name, with or without a path (rule below);
5. IBAN written in capitals, in groups of four or in one block;
6. French phone number: ``0X`` followed by four pairs of digits, all joined or all separated by the same space,
   dot or dash, after ``0``, ``+33`` or ``0033`` (with an optional ``(0)``); also ``0 8XX XX XX XX`` and
   ``0XXX XX XX XX`` (overseas departments: ``0690 12 34 56``);
7. international phone number: ``+`` or ``00``, then up to 17 digits in groups, validated with ``phonenumbers``.

Defanged dots ``[.]``, ``(.)``, ``[dot]``, ``(dot)`` count as dots in web and e-mail addresses.

Bare domains (no scheme, no ``www.``) are where ordinary text looks like an address (``M.Dupont``, ``fichier.pdf``,
``v1.2``, ``12.50``), and ``.dupont``, ``.zip`` or ``.py`` are real top-level domains, so one is taken only when:

- its last label is in ``COMMON_TLDS`` and is written all in lowercase or all in capitals (``ameli.fr``,
  ``AMELI.FR``, not ``colis.Plus``, a missing space before a sentence), or
- it is followed by a path, query or port (``colis-suivi.dupont/suivi``), its ending is a known public suffix
  (``domains.has_known_suffix``) and its last label is not a number.

An IP address is only taken after a scheme or ``www``. The regular expression is linear: every alternative starts
only at the beginning of a run of characters (look-behind), its repetitions are possessive, and the checks that
need the whole candidate (trailing punctuation, top-level domain, checksum) are done in Python afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from stdnum import numdb

from . import domains
from .canonical import (
    EMAIL_INVALID,
    IBAN_INVALID,
    URL_MALFORMED,
    CanonicalUrl,
    Email,
    Iban,
    InvalidIndicator,
    Phone,
    canonical_url,
    normalise_email,
    normalise_iban,
    normalise_phone,
)

MAX_TEXT_CHARS = 20_000
MAX_INDICATORS = 50

TEXT_TOO_LONG = "Le texte est trop long : collez au plus 20 000 caractères, par exemple seulement le message reçu."
NOT_TEXT = "Ce contenu ne ressemble pas à du texte. Collez le texte du message, pas un fichier."

# Top-level domains common in scams and in ordinary use: a bare ``name.tld`` with one of these is a web address.
COMMON_TLDS = frozenset(
    """
    com fr net org info biz eu be ch ca lu mc de uk es it nl pt us ru cn io co me tv ws ly gl cc
    app online site xyz top shop store club live icu cfd sbs bond cyou vip link click help support services
    digital cloud website space tech pro today world life fun buzz work email network center page dev one plus
    mobi asia tk ml ga cf gq pw lat best win bid loan date review download racing stream trade party
    """.split()
)


class InvalidInput(ValueError):
    """The pasted content cannot be read as a message. ``message`` is plain French."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Kind(StrEnum):
    """A ``str`` too: ``Kind.URL == "url"``."""

    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    IBAN = "iban"


@dataclass(frozen=True)
class Found:
    """``value`` is the storage key: ``CanonicalUrl.url``, ``Email.address``, ``Phone.e164``, ``Iban.compact``.
    ``display``: the canonical URL (ASCII: a look-alike host shows as ``xn--``), the e-mail address,
    ``Phone.display``, ``Iban.display``. ``raw``: the text as it was written (NFC-normalised)."""

    kind: Kind
    raw: str
    value: str
    display: str
    detail: CanonicalUrl | Phone | Email | Iban


@dataclass(frozen=True)
class Rejected:
    """Something written like an indicator that cannot be one (IBAN with a wrong checksum, address with an invalid
    site name…); ``message`` says why, in plain French."""

    kind: Kind
    raw: str
    message: str


@dataclass(frozen=True)
class Extraction:
    """``found`` and ``rejected`` in the order of the text, without duplicates, each at most ``MAX_INDICATORS``
    long; ``truncated`` when either list had to stop there."""

    found: tuple[Found, ...]
    rejected: tuple[Rejected, ...]
    truncated: bool


# --- The scanner -------------------------------------------------------------------------------------------------

_DOT = r"(?:\.|\[\.\]|\(\.\)|\[dot\]|\(dot\))"
_NEXT_DOT = rf"{_DOT}(?=[\w-])"  # a dot followed by a label, so a final full stop stays outside
_BODY = r"[^\s<>\"`«»“”‘’]"  # what a written web address can hold after its host
_TAIL = rf"(?::\d{{1,5}}(?!\d))?+(?:[/?#]{_BODY}*+)?+"
_SPACE = r"[ \u00a0\u202f]"
_SEP = r"[ \u00a0\u202f.\-]"

_SCANNER = re.compile(
    rf"""
    (?<!\w) (?=[\w+%.-])  # every alternative starts a word: one cheap test for the other positions
    (?: (?P<scheme> h(?:tt|xx)ps? (?::|\[:\]) // {_BODY}++ )
      | (?P<email> (?<![.+%'-]) [\w.+%-]++ @ (?:[\w-]++{_NEXT_DOT})++ [\w-]++ )
      | (?P<www> (?<![.@/:%-]) www\d{{0,3}} {_NEXT_DOT} (?:[\w-]++{_NEXT_DOT})*+ [\w-]++ {_TAIL} )
      | (?P<bare> (?<![.@/:%-]) (?:[\w-]++{_NEXT_DOT})++ [^\W\d_][\w-]*+ {_TAIL} )
      | (?P<iban> (?-i: [A-Z]{{2}}[0-9]{{2}} (?:{_SPACE}?[A-Z0-9]{{4}}){{2,7}}+ (?:{_SPACE}?[A-Z0-9]{{1,4}})?+
                  (?![A-Za-z0-9]) ) )
      | (?P<frphone> (?<!\+) (?: (?:\+|00)33{_SPACE}?(?:\(0\){_SPACE}?)?[1-9] | 0[1-9] )
            (?: (?P<sep>{_SEP}) \d\d (?:(?P=sep)\d\d){{3}} | \d{{8}} ) (?!\d) )
      | (?P<frgrouped> (?<!\+) 0{_SPACE}?[1-9]\d\d (?:(?:{_SPACE}\d\d){{3}}|(?:{_SPACE}\d{{3}}){{2}}) (?!\d) )
      | (?P<intlphone> (?<!\+) (?:\+|00)[1-9] (?:{_SEP}?(?:\(\d{{1,4}}\)|\d)){{6,16}}+ (?!\d) )
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

_REFANG_RE = re.compile(r"\[\.\]|\(\.\)|\[dot\]|\(dot\)|\[:\]|^hxxp", re.IGNORECASE)
_REFANGED = {"[:]": ":"}
_TRAILING = frozenset(".,;:!?'\"»…*")
_CLOSING = {")": "(", "]": "[", "}": "{"}
_HOST_END_RE = re.compile(r"[/?#:]")
_PHONE_GROUP_END_RE = re.compile(r"[ \u00a0\u202f.\-()]+\d*\)?$")
_IBAN_GROUP_END_RE = re.compile(r"[ \u00a0\u202f]+[A-Z0-9]*$")
_IBAN_STRUCTURE_RE = re.compile(r"(\d+)!")
_SUSPICIOUS_RE = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_IBAN_DB = numdb.get("iban")


def _refang_one(match: re.Match[str]) -> str:
    text = match.group(0)
    if text[0] in "hH":
        return "http"
    return _REFANGED.get(text, ".")


def refang(text: str) -> str:
    """``hxxps://evil[.]com`` -> ``https://evil.com``; ``[.]``, ``(.)``, ``[dot]``, ``(dot)`` and ``[:]``."""
    return _REFANG_RE.sub(_refang_one, text)


def _trim(candidate: str) -> str:
    """Remove the punctuation that ends a sentence rather than the address; a closing bracket stays when the
    address opened it (``https://fr.wikipedia.org/wiki/Arnaque_(escroquerie)``)."""
    end = len(candidate)
    opened = {opening: candidate.count(opening) for opening in "([{"}
    closed = {closing: candidate.count(closing) for closing in _CLOSING}
    while end:
        character = candidate[end - 1]
        if character in _TRAILING:
            end -= 1
        elif character in _CLOSING and closed[character] > opened[_CLOSING[character]]:
            closed[character] -= 1
            end -= 1
        else:
            break
    return candidate[:end]


def _check_text(text: str) -> None:
    if not isinstance(text, str):
        raise InvalidInput(NOT_TEXT)
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(TEXT_TOO_LONG)
    if "\x00" in text:
        raise InvalidInput(NOT_TEXT)
    suspicious = len(_SUSPICIOUS_RE.findall(text))
    if suspicious >= 4 and suspicious * 20 > len(text):
        raise InvalidInput(NOT_TEXT)


def _url(raw: str) -> Found | Rejected:
    """A host without a dot (``http://exa mple.com`` cut at the space) is taken for a mistake, not an intranet."""
    try:
        url = canonical_url(refang(raw))
    except InvalidIndicator as error:
        return Rejected(Kind.URL, raw, error.message)
    if "." not in url.host and not url.is_ip:
        return Rejected(Kind.URL, raw, URL_MALFORMED)
    return Found(Kind.URL, raw, url.url, url.url, url)


def _bare_domain(raw: str) -> Found | Rejected | None:
    host_end = _HOST_END_RE.search(raw)
    host = refang(raw[: host_end.start()] if host_end else raw)
    tld = host.rpartition(".")[2]
    if tld.lower() in COMMON_TLDS and (tld.islower() or tld.isupper()):
        return _url(raw)
    if host_end and len(raw) > host_end.start() + 1 and not tld.isdigit() and domains.has_known_suffix(host):
        return _url(raw)
    return None


def _email(raw: str) -> Found | Rejected:
    try:
        email = normalise_email(refang(raw))
    except InvalidIndicator:
        return Rejected(Kind.EMAIL, raw, EMAIL_INVALID)
    return Found(Kind.EMAIL, raw, email.address, email.address, email)


def _phone_found(raw: str, phone: Phone) -> Found:
    return Found(Kind.PHONE, raw, phone.e164, phone.display, phone)


def _phone(raw: str, strict: bool) -> Found | Rejected | None:
    """``strict``: the number is written the French way, so an invalid one is reported. Otherwise the last groups of
    digits are dropped one by one (``+44 20 7946 0958 2 fois``) while at least eight digits remain."""
    candidate = raw
    while True:
        try:
            return _phone_found(candidate, normalise_phone(candidate))
        except InvalidIndicator as error:
            if strict:
                return Rejected(Kind.PHONE, raw, error.message)
        shorter = _PHONE_GROUP_END_RE.sub("", candidate)
        if shorter == candidate or sum(character.isdigit() for character in shorter) < 8:
            return None
        candidate = shorter


def _known_iban_country(compact: str) -> bool:
    info = _IBAN_DB.info(compact[:2])
    structure = info[0][1].get("bban") if info and info[0][1] else None
    if not structure:
        return False
    return len(compact) == 4 + sum(int(length) for length in _IBAN_STRUCTURE_RE.findall(structure))


def _iban(raw: str) -> Found | Rejected | None:
    """A wrong IBAN is reported only when its country uses IBANs and its length is the country's: anything else
    written in capitals and digits is left alone. When the whole is wrong, trailing groups are dropped one by one
    (the next word may have been taken)."""
    candidate = raw
    while True:
        try:
            iban = normalise_iban(candidate)
        except InvalidIndicator:
            shorter = _IBAN_GROUP_END_RE.sub("", candidate)
            if shorter != candidate and len(shorter) >= 12:
                candidate = shorter
                continue
            compact = re.sub(r"\s", "", raw)
            return Rejected(Kind.IBAN, raw, IBAN_INVALID) if _known_iban_country(compact) else None
        return Found(Kind.IBAN, candidate, iban.compact, iban.display, iban)


def _handle(match: re.Match[str]) -> Found | Rejected | None:
    kind = match.lastgroup
    raw = match.group(0)
    if kind == "scheme":
        return _url(_trim(raw))
    if kind == "email":
        return _email(raw)
    if kind == "www":
        return _url(_trim(raw))
    if kind == "bare":
        return _bare_domain(_trim(raw))
    if kind == "iban":
        return _iban(raw)
    if kind in ("frphone", "frgrouped"):
        return _phone(raw, strict=True)
    return _phone(raw, strict=False)


def extract_indicators(text: str) -> Extraction:
    """The indicators of ``text`` (module docstring), in the order of the text. Raises ``InvalidInput`` for a text
    longer than ``MAX_TEXT_CHARS`` or one that is not text (a NUL character, or at least 4 and more than 5 % of
    control or replacement characters)."""
    _check_text(text)
    text = unicodedata.normalize("NFC", text)
    found: dict[tuple[Kind, str], Found] = {}
    rejected: dict[tuple[Kind, str], Rejected] = {}
    seen: dict[tuple[str | None, str], Found | Rejected | None] = {}
    truncated = False
    for match in _SCANNER.finditer(text):
        key = (match.lastgroup, match.group(0))
        if key in seen:
            item = seen[key]
        else:
            item = seen[key] = _handle(match)
        if isinstance(item, Found):
            if (item.kind, item.value) in found:
                continue
            if len(found) == MAX_INDICATORS:
                truncated = True
                break
            found[item.kind, item.value] = item
        elif isinstance(item, Rejected) and (item.kind, item.raw) not in rejected:
            if len(rejected) == MAX_INDICATORS:
                truncated = True
                continue
            rejected[item.kind, item.raw] = item
    return Extraction(found=tuple(found.values()), rejected=tuple(rejected.values()), truncated=truncated)


# --- One indicator alone -----------------------------------------------------------------------------------------

_WRAPPING = " \t\r\n\u00a0\u202f\u200b\ufeff\"'«»“”‘’<>"
_PHONE_LIKE_RE = re.compile(r"(?:tel:)?\+?[0-9\s().\-/]+", re.IGNORECASE)
_IBAN_LIKE_RE = re.compile(r"(?:IBAN\s*:?\s*)?[A-Z]{2}\s*[0-9]{2}[A-Z0-9\s\-.]{8,60}", re.IGNORECASE)
_SCHEME_OR_WWW_RE = re.compile(rf"h(?:tt|xx)ps?(?::|\[:\])//|www\d{{0,3}}{_DOT}", re.IGNORECASE)
_DOTTED_QUAD_RE = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")


def _single(text: str) -> Found | None:
    if _PHONE_LIKE_RE.fullmatch(text):
        try:
            return _phone_found(text, normalise_phone(text))
        except InvalidIndicator:
            pass
    if _IBAN_LIKE_RE.fullmatch(text):
        try:
            iban = normalise_iban(text)
        except InvalidIndicator:
            return None
        return Found(Kind.IBAN, text, iban.compact, iban.display, iban)
    if _SCHEME_OR_WWW_RE.match(text):
        item = _url(_trim(text))
        return item if isinstance(item, Found) and item.raw == text else None
    if any(character.isspace() for character in text):
        return None
    if "@" in text:
        item = _email(text)
        return item if isinstance(item, Found) else None
    host_end = _HOST_END_RE.search(text)
    host = refang(text[: host_end.start()] if host_end else text)
    if _DOTTED_QUAD_RE.fullmatch(host) or domains.has_known_suffix(host.rstrip(".")):
        item = _url(text)
        return item if isinstance(item, Found) else None
    return None


def classify_single(text: str) -> Found | None:
    """The indicator when the whole input (without surrounding spaces, quotes and final punctuation) is one: a web
    address (any known public suffix is enough here, ``secure-ameli.dupont``; an IP address in dotted decimal), an
    e-mail address (also after ``mailto:``), a phone number (also after ``tel:``) or an IBAN (any case). None
    otherwise, including when it looks like one but is invalid: ``extract_indicators`` then gives the reason in
    ``rejected``. Raises ``InvalidInput`` as ``extract_indicators`` does."""
    _check_text(text)
    stripped = unicodedata.normalize("NFC", text).strip(_WRAPPING)
    stripped = stripped.rstrip(".,;!?…")
    if not stripped:
        return None
    return _single(stripped)
