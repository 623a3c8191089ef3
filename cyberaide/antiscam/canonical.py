"""Canonical forms of the indicators a scam leaves behind: web addresses, phone numbers, e-mail addresses, IBANs.

Pure Python (no Django). Every normaliser is idempotent: normalising the canonical string again gives the same
object. Everything a person may read (``InvalidIndicator.message``) is in plain French.

URL canonicalisation
====================
Modelled on the "URLs and hashing" section of the Safe Browsing v4 documentation, with the browser (WHATWG URL
standard) behaviour where the two differ on how an address is split. A JavaScript port exists for the browser
extension, so the steps below are the specification; ``tests/antiscam/data/url_vectors.json`` holds the expected
results. "Unescape" means: replace every ``%XX`` (two hex digits, any case) by the byte it stands for, in one left
to right pass over the UTF-8 bytes; "fully unescape" means unescape until the bytes no longer change (this ends,
since every changing pass removes at least two bytes).

1.  Trim: remove the characters of ``_EDGE_CHARS`` (U+0000-U+0020, U+007F, U+0085, U+00A0, U+1680,
    U+2000-U+200B, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF) from both ends; remove every tab, CR and LF.
    Reject an empty result, one longer than 2,000 characters, or one that still holds a control character
    (U+0000-U+001F, U+007F-U+009F).
2.  Scheme: the input has a scheme when it starts with ``[A-Za-z][A-Za-z0-9+.-]*:`` and either that word is
    ``http``/``https`` (any case) or the character after the colon is not an ASCII digit (``ameli.fr:8080/x`` and
    ``localhost:80`` have no scheme: they are a host and a port). No scheme means ``http``. Any scheme other than
    http and https is rejected. After the scheme (or at the start when there is none), every leading ``/`` and
    ``\\`` is skipped, as browsers do (``http:/x.fr``, ``http:\\\\x.fr`` and ``//x.fr`` all name host x.fr).
3.  The fragment (from the first ``#``) is dropped, then the query is split off at the first ``?``. In what is
    left, every ``\\`` becomes ``/`` (browsers do the same for http and https). The authority runs up to the first
    ``/``; the path is the rest (``/`` when empty).
4.  Userinfo: everything up to the LAST ``@`` of the authority is dropped, so ``https://www.ameli.fr@evil.com/``
    has host ``evil.com``, as in a browser.
5.  Port: a host in brackets (IPv6) ends at ``]``, which must be followed by nothing or by ``:port``; otherwise
    the port starts at the first ``:``. A port is ASCII digits only (``:`` alone means no port), at most 65535;
    80 for http and 443 for https are dropped (``port`` is then None).
6.  Host (``canonical_host``):
    a. ``[...]``: an IPv6 address (no zone), written lowercase and compressed (RFC 5952, as Python's
       ``ipaddress`` does), in brackets.
    b. Otherwise fully unescape, decode as UTF-8, apply the UTS-46 mapping (non-transitional, without the STD3
       rules: lowercases, maps full-width dots and letters, keeps ``ß``), as browsers do. Remove leading and
       trailing dots, collapse runs of dots. Empty -> rejected.
    c. When the last label is a number (ASCII digits, or ``0x`` followed by zero or more hex digits), the whole
       host must be an IPv4 address in one of the forms browsers accept: 1 to 4 parts, each decimal, hexadecimal
       (``0x``, ``0x`` alone being 0) or octal (leading ``0``; ``08`` is invalid), every part but the last at most
       255, the last filling the remaining bytes (below 256 ** (5 - number of parts)).
       It is written in dotted decimal (``3279880203`` -> ``195.127.0.11``). If it cannot be parsed, rejected.
    d. Otherwise, each label: an ASCII label may hold ``a-z 0-9 - _`` only (browsers accept the underscore and
       hyphens anywhere); an ASCII label starting with ``xn--`` must be valid Punycode that decodes to a non-ASCII
       string already in UTS-46 mapped form and re-encodes to the same label; a non-ASCII label is converted to
       its A-label with the ``idna`` package (IDNA 2008 rules: a few symbols browsers accept, such as emoji, are
       rejected here). Labels longer than 63 characters and hosts longer than 253 are rejected.
7.  Path: fully unescape; split on ``/``; drop empty and ``.`` segments (this collapses ``//``), and let ``..``
    drop the previous segment; keep a trailing ``/`` when the path ended with ``/``, ``/.`` or ``/..``. Then
    escape as ``%XX`` (uppercase hex) every byte <= 0x20 or >= 0x7F and ``#``, ``%``, ``?`` and ``\\``. (The Safe
    Browsing text escapes only the first four; ``?`` and ``\\`` are escaped too so that reading the canonical URL
    again gives the same path.)
8.  Query: fully unescape; split on ``&``; drop every parameter whose name (the part before the first ``=``),
    in ASCII lowercase, starts with ``utm_`` or belongs to ``TRACKING_PARAMETERS``; keep the others in their
    order, joined with ``&``, and escape every byte <= 0x20 or >= 0x7F and ``#`` and ``%``. A query that is
    empty, or only ``&``, becomes None.
9.  The canonical URL ``scheme://host[:port]path[?query]`` may not be longer than 2,000 characters either.

The hash expressions follow the Safe Browsing rule: see ``url_expressions``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache, wraps

import idna
import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from . import domains

PREFIX_LENGTH = 4  # bytes of a hash prefix
MAX_URL_CHARS = 2000
MAX_HOST_CHARS = 253
MAX_LABEL_CHARS = 63

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "igshid",
        "yclid",
        "twclid",
        "ttclid",
        "srsltid",
        "_ga",
        "_gl",
        "mkt_tok",
    }
)
TRACKING_PREFIX = "utm_"

DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidIndicator(ValueError):
    """An address, number or IBAN that cannot be read. ``message`` is a short plain-French sentence for a worried
    person who is not a technician."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Messages a person reads.
URL_EMPTY = "L'adresse web est vide."
URL_TOO_LONG = "Cette adresse web est trop longue pour être vérifiée."
URL_MALFORMED = "Cette adresse web est incomplète ou mal formée."
URL_CONTROL = "Cette adresse web contient des caractères invisibles ou interdits."
URL_SCHEME = "Seules les adresses de sites web (commençant par http ou https) peuvent être vérifiées."
URL_BAD_HOST = "Le nom du site dans cette adresse web n'est pas valide."
URL_BAD_PORT = "Cette adresse web est mal formée : le nombre placé après « : » n'est pas valide."
PHONE_INVALID = "Ce numéro de téléphone n'est pas valide : vérifiez qu'il est complet."
PHONE_SHORT = "C'est un numéro court de service (comme le 17 ou le 33700), pas le numéro d'une personne."
EMAIL_INVALID = "Cette adresse e-mail est incomplète ou mal formée."
IBAN_INVALID = "Ce numéro IBAN n'est pas valide : une erreur de recopie ?"

MAX_CACHED_CHARS = 2000


def _memoised(function):
    """Remember the result, or the refusal, for recent inputs: the same scam reaches many people, and pasted texts
    repeat their indicators. A refusal is kept as its message, so that every caller gets an exception of its own.
    """
    remembered = lru_cache(maxsize=4096)(_outcome(function))

    @wraps(function)
    def wrapper(raw, *args, **kwargs):
        if isinstance(raw, str) and len(raw) <= MAX_CACHED_CHARS:
            result, message = remembered(raw, *args, **kwargs)
            if message is not None:
                raise InvalidIndicator(message)
            return result
        return function(raw, *args, **kwargs)

    wrapper.cache_clear = remembered.cache_clear
    return wrapper


def _outcome(function):
    def outcome(*args, **kwargs):
        try:
            return function(*args, **kwargs), None
        except InvalidIndicator as error:
            return None, error.message

    return outcome


# --- URL ---------------------------------------------------------------------------------------------------------

# Trimmed from both ends: C0 controls and space, DEL, NEL, no-break spaces, the Unicode spaces U+2000-U+200A,
# zero width space, line and paragraph separators, BOM.
_EDGE_CHARS = (
    "".join(map(chr, range(0x21)))
    + "\x7f\x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200C)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_TAB_NEWLINE_RE = re.compile("[\t\r\n]")
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_LEADING_SLASHES_RE = re.compile(r"[/\\]*")
_PORT_RE = re.compile(r"[0-9]*")
_PERCENT_RE = re.compile(rb"%([0-9A-Fa-f]{2})")
_PATH_ESCAPE_RE = re.compile(rb"[\x00-\x20\x7f-\xff#%?\\]")
_QUERY_ESCAPE_RE = re.compile(rb"[\x00-\x20\x7f-\xff#%]")
_DOTS_RE = re.compile(r"\.{2,}")
_ASCII_LABEL_RE = re.compile(r"[a-z0-9_\-]+")
_ASCII_HOST_RE = re.compile(r"[a-z0-9_\-.]+")
_NUMERIC_LABEL_RE = re.compile(r"[0-9]+|0x[0-9a-f]*")
_IPV4_DECIMAL_RE = re.compile(r"[0-9]+")
_IPV4_OCTAL_RE = re.compile(r"0[0-7]+")
_IPV4_HEX_RE = re.compile(r"0x[0-9a-f]*")


def _unhex(match: re.Match[bytes]) -> bytes:
    return bytes((int(match.group(1), 16),))


def _escape_byte(match: re.Match[bytes]) -> bytes:
    return b"%%%02X" % match.group(0)[0]


def fully_unescape(data: bytes) -> bytes:
    """Replace ``%XX`` escapes by their byte until nothing changes."""
    while b"%" in data:
        unescaped = _PERCENT_RE.sub(_unhex, data)
        if unescaped == data:
            break
        data = unescaped
    return data


def _parse_ipv4_number(part: str) -> int | None:
    if _IPV4_HEX_RE.fullmatch(part):
        return int(part[2:] or "0", 16)
    if _IPV4_OCTAL_RE.fullmatch(part):
        return int(part, 8)
    if _IPV4_DECIMAL_RE.fullmatch(part) and (part == "0" or not part.startswith("0")):
        return int(part)
    return None


def _parse_ipv4(host: str) -> str:
    parts = host.split(".")
    if len(parts) > 4:
        raise InvalidIndicator(URL_BAD_HOST)
    numbers = [_parse_ipv4_number(part) for part in parts]
    if any(number is None for number in numbers):
        raise InvalidIndicator(URL_BAD_HOST)
    *leading, last = numbers
    if any(number > 255 for number in leading) or last >= 256 ** (5 - len(numbers)):
        raise InvalidIndicator(URL_BAD_HOST)
    value = last
    for index, number in enumerate(leading):
        value += number << (8 * (3 - index))
    return str(ipaddress.IPv4Address(value))


def _check_ace_label(label: str) -> None:
    """An ``xn--`` label must be Punycode for a non-ASCII label already in UTS-46 mapped form."""
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError, OverflowError) as error:
        raise InvalidIndicator(URL_BAD_HOST) from error
    if not decoded or decoded.isascii() or "xn--" + decoded.encode("punycode").decode("ascii") != label:
        raise InvalidIndicator(URL_BAD_HOST)
    try:
        mapped = idna.uts46_remap(decoded, std3_rules=False, transitional=False)
    except idna.IDNAError as error:
        raise InvalidIndicator(URL_BAD_HOST) from error
    if mapped != decoded or "." in decoded:
        raise InvalidIndicator(URL_BAD_HOST)


@lru_cache(maxsize=8192)
def canonical_host(raw_host: str) -> tuple[str, bool]:
    """Step 6 of the module docstring: the canonical ASCII host of ``raw_host`` and whether it is an IP address.
    Raises ``InvalidIndicator``."""
    if raw_host.startswith("["):
        inner = raw_host[1:-1] if raw_host.endswith("]") else ""
        if not inner or "%" in inner:
            raise InvalidIndicator(URL_BAD_HOST)
        try:
            address = ipaddress.IPv6Address(inner)
        except ValueError as error:
            raise InvalidIndicator(URL_BAD_HOST) from error
        return f"[{address.compressed}]", True
    host = raw_host
    if "%" in host:
        try:
            host = fully_unescape(host.encode("utf-8")).decode("utf-8")
        except UnicodeError as error:
            raise InvalidIndicator(URL_BAD_HOST) from error
    if host.isascii():
        host = host.lower()
    else:
        try:
            host = idna.uts46_remap(host, std3_rules=False, transitional=False)
        except idna.IDNAError as error:
            raise InvalidIndicator(URL_BAD_HOST) from error
    if ".." in host:
        host = _DOTS_RE.sub(".", host)
    host = host.strip(".")
    if not host:
        raise InvalidIndicator(URL_MALFORMED)
    labels = host.split(".")
    if _NUMERIC_LABEL_RE.fullmatch(labels[-1]):
        return _parse_ipv4(host), True
    if _ASCII_HOST_RE.fullmatch(host) and "xn--" not in host:
        if len(host) > MAX_HOST_CHARS or max(map(len, labels)) > MAX_LABEL_CHARS:
            raise InvalidIndicator(URL_BAD_HOST)
        return host, False
    ascii_labels = []
    for label in labels:
        if label.isascii():
            if not _ASCII_LABEL_RE.fullmatch(label):
                raise InvalidIndicator(URL_BAD_HOST)
            if label.startswith("xn--"):
                _check_ace_label(label)
        else:
            try:
                label = idna.alabel(label).decode("ascii")
            except (idna.IDNAError, UnicodeError) as error:
                raise InvalidIndicator(URL_BAD_HOST) from error
        if len(label) > MAX_LABEL_CHARS:
            raise InvalidIndicator(URL_BAD_HOST)
        ascii_labels.append(label)
    host = ".".join(ascii_labels)
    if len(host) > MAX_HOST_CHARS:
        raise InvalidIndicator(URL_BAD_HOST)
    return host, False


def _canonical_path(raw_path: str) -> str:
    if (
        raw_path.isascii()
        and raw_path.isprintable()
        and " " not in raw_path
        and "%" not in raw_path
        and "/." not in raw_path
        and "//" not in raw_path
    ):
        return raw_path or "/"  # already canonical: nothing to unescape, resolve or escape
    try:
        data = fully_unescape(raw_path.encode("utf-8"))
    except UnicodeError as error:
        raise InvalidIndicator(URL_MALFORMED) from error
    segments = data.split(b"/")
    kept: list[bytes] = []
    for segment in segments:
        if segment in (b"", b"."):
            continue
        if segment == b"..":
            if kept:
                kept.pop()
            continue
        kept.append(segment)
    if not kept:
        return "/"
    path = b"/" + b"/".join(kept) + (b"/" if segments[-1] in (b"", b".", b"..") else b"")
    return _PATH_ESCAPE_RE.sub(_escape_byte, path).decode("ascii")


_TRACKING_NAMES = frozenset(name.encode("ascii") for name in TRACKING_PARAMETERS)
_TRACKING_PREFIX = TRACKING_PREFIX.encode("ascii")


def _is_tracking(name: bytes) -> bool:
    lowered = name.lower()
    return lowered.startswith(_TRACKING_PREFIX) or lowered in _TRACKING_NAMES


def _canonical_query(raw_query: str) -> tuple[str | None, tuple[str, ...]]:
    try:
        data = fully_unescape(raw_query.encode("utf-8"))
    except UnicodeError as error:
        raise InvalidIndicator(URL_MALFORMED) from error
    kept: list[bytes] = []
    removed: list[str] = []
    for parameter in data.split(b"&"):
        name = parameter.partition(b"=")[0]
        if _is_tracking(name):
            removed.append(name.decode("utf-8", "replace"))
        else:
            kept.append(parameter)
    query = _QUERY_ESCAPE_RE.sub(_escape_byte, b"&".join(kept)).decode("ascii")
    if not query.strip("&"):
        return None, tuple(removed)
    return query, tuple(removed)


@dataclass(frozen=True)
class CanonicalUrl:
    """A canonical web address (see the module docstring). ``removed_tracking`` tells what was removed and plays
    no part in equality, so that ``canonical_url(u.url) == u``."""

    scheme: str
    host: str
    port: int | None
    path: str
    query: str | None
    removed_tracking: tuple[str, ...] = field(default=(), compare=False)

    @property
    def url(self) -> str:
        port = f":{self.port}" if self.port is not None else ""
        query = f"?{self.query}" if self.query else ""
        return f"{self.scheme}://{self.host}{port}{self.path}{query}"

    @property
    def expression(self) -> str:
        """Safe Browsing style ``host/path?query``: no scheme, no port."""
        return self.host + self.path + (f"?{self.query}" if self.query else "")

    @property
    def site_expression(self) -> str:
        return self.host + "/"

    @property
    def page_expression(self) -> str:
        return self.host + self.path

    @property
    def unicode_host(self) -> str:
        """The host as a person reads it (``amélie.fr``); the ASCII host when it cannot be decoded. Beware: a
        look-alike (Cyrillic ``а``) is only visible in the ASCII form."""
        if self.is_ip or "xn--" not in self.host:
            return self.host
        try:
            return ".".join(
                label[4:].encode("ascii").decode("punycode") if label.startswith("xn--") else label
                for label in self.host.split(".")
            )
        except UnicodeError:
            return self.host

    @property
    def registrable_domain(self) -> str:
        return domains.registrable_domain(self.host)

    @property
    def is_ip(self) -> bool:
        return self.host.startswith("[") or bool(_NUMERIC_LABEL_RE.fullmatch(self.host.rpartition(".")[2]))

    @property
    def is_shortener(self) -> bool:
        return domains.is_shortener(self.host)


@_memoised
def canonical_url(raw: str) -> CanonicalUrl:
    """The canonical form of a web address written by a person or reported by a browser (module docstring).
    Raises ``InvalidIndicator``."""
    if not isinstance(raw, str):
        raise InvalidIndicator(URL_MALFORMED)
    text = raw.strip(_EDGE_CHARS)
    if "\t" in text or "\n" in text or "\r" in text:
        text = _TAB_NEWLINE_RE.sub("", text)
    if not text:
        raise InvalidIndicator(URL_EMPTY)
    if len(text) > MAX_URL_CHARS:
        raise InvalidIndicator(URL_TOO_LONG)
    if not (text.isascii() and text.isprintable()) and _CONTROL_RE.search(text):
        raise InvalidIndicator(URL_CONTROL)

    scheme = "http"
    match = _SCHEME_RE.match(text)
    if match:
        word = match.group(1).lower()
        rest = text[match.end() :]
        if word in DEFAULT_PORTS or not rest[:1].isascii() or not rest[:1].isdigit():
            if word not in DEFAULT_PORTS:
                raise InvalidIndicator(URL_SCHEME)
            scheme = word
            text = rest
    text = text[_LEADING_SLASHES_RE.match(text).end() :]

    text = text.partition("#")[0]
    text, has_query, raw_query = text.partition("?")
    text = text.replace("\\", "/")
    authority, slash, raw_path = text.partition("/")
    host_port = authority.rpartition("@")[2]

    if host_port.startswith("["):
        raw_host, bracket, after = host_port.partition("]")
        raw_host += bracket
        if after and not after.startswith(":"):
            raise InvalidIndicator(URL_BAD_HOST)
        raw_port = after[1:]
    else:
        raw_host, _, raw_port = host_port.partition(":")
    if not raw_host:
        raise InvalidIndicator(URL_MALFORMED)
    if not _PORT_RE.fullmatch(raw_port) or (raw_port and int(raw_port) > 65535):
        raise InvalidIndicator(URL_BAD_PORT)
    port = int(raw_port) if raw_port else None
    if port == DEFAULT_PORTS[scheme]:
        port = None

    host, _ = canonical_host(raw_host)
    path = _canonical_path(slash + raw_path)
    query, removed = _canonical_query(raw_query) if has_query else (None, ())
    result = CanonicalUrl(scheme=scheme, host=host, port=port, path=path, query=query, removed_tracking=removed)
    if len(result.url) > MAX_URL_CHARS:
        raise InvalidIndicator(URL_TOO_LONG)
    return result


def url_expressions(url: CanonicalUrl) -> list[str]:
    """The ``host/path`` expressions to look up for ``url``, Safe Browsing style, at most 30, without duplicates.

    Hosts, most specific first: the exact host, then (not for an IP address) the host made of its last five
    labels, then successively without its leading label, down to two labels (never the bare top-level domain).
    Paths, most specific first: the exact path with the query (when there is one), the exact path, then the
    directory prefixes: from the deepest of ``/``, ``/a/``, ``/a/b/``, ``/a/b/c/`` (at most four, built from the
    path's segments that are followed by a ``/``) back to ``/``. Expressions are listed host by host, each host
    with every path in that order.
    """
    hosts = [url.host]
    if not url.is_ip:
        labels = url.host.split(".")
        for start in range(max(len(labels) - 5, 1), len(labels) - 1):
            suffix = ".".join(labels[start:])
            if suffix not in hosts:
                hosts.append(suffix)
    paths = [f"{url.path}?{url.query}"] if url.query else []
    paths.append(url.path)
    prefixes = ["/"]
    for segment in url.path.split("/")[1:-1][:3]:
        prefixes.append(f"{prefixes[-1]}{segment}/")
    for prefix in reversed(prefixes):
        if prefix not in paths:
            paths.append(prefix)
    return [host + path for host in hosts for path in paths]


def expression_hash(expression: str) -> bytes:
    return hashlib.sha256(expression.encode("utf-8")).digest()


def hash_prefix(full_hash: bytes) -> bytes:
    return full_hash[:PREFIX_LENGTH]


# --- Phone -------------------------------------------------------------------------------------------------------

# Regions dialled from mainland France with the national 0 (overseas departments and communities).
FRENCH_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")
_PHONE_CHARS_RE = re.compile(r"\+?[0-9\s().\-/]+")
_TEL_PREFIX_RE = re.compile(r"tel:", re.IGNORECASE)
_TRUNK_PREFIX_RE = re.compile(r"\(\s*0\s*\)")
_PHONE_KINDS = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "premium",
    phonenumbers.PhoneNumberType.SHARED_COST: "premium",
    phonenumbers.PhoneNumberType.TOLL_FREE: "free",
    phonenumbers.PhoneNumberType.VOIP: "voip",
}
MAX_PHONE_CHARS = 40


@dataclass(frozen=True)
class Phone:
    """``e164`` is the storage key. ``kind``: mobile, fixed, premium (premium rate and shared cost, the French
    ``08 1x``/``08 2x``), free, voip (the French ``09``), other (including numbers that can be either fixed or
    mobile, as in North America)."""

    e164: str
    display: str
    region: str | None
    kind: str


def _parse_valid(digits: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


@_memoised
def normalise_phone(raw: str, default_region: str = "FR") -> Phone:
    """A phone number in the usual French or international writings (``06 12 34 56 78``, ``06.12.34.56.78``,
    ``+33 6 12 34 56 78``, ``+33 (0)6 12…``, ``0033 6 12…``), optionally after ``tel:``. Only digits, spaces,
    ``+ . - / ( )`` are accepted. A national number that is not valid in ``default_region`` is tried in the French
    overseas regions when ``default_region`` is FR (``0690 12 34 56`` is in Guadeloupe). Short service numbers
    (17, 3018, 33700) are rejected. ``display``: national format for France and its overseas regions,
    international format otherwise."""
    if not isinstance(raw, str):
        raise InvalidIndicator(PHONE_INVALID)
    text = raw.strip()
    if _TEL_PREFIX_RE.match(text):
        text = text[4:].strip()
    if len(text) > MAX_PHONE_CHARS or not _PHONE_CHARS_RE.fullmatch(text):
        raise InvalidIndicator(PHONE_INVALID)
    text = _TRUNK_PREFIX_RE.sub(" ", text)
    digits = "".join(character for character in text if character.isdigit())
    international = text.startswith("+")
    number = _parse_valid(("+" if international else "") + digits, default_region)
    if number is None and not international and default_region == "FR" and digits.startswith("0"):
        for region in FRENCH_REGIONS[1:]:
            number = _parse_valid(digits, region)
            if number is not None:
                break
    if number is None:
        if not international and len(digits) <= 6:
            try:
                short = phonenumbers.parse(digits, default_region)
            except phonenumbers.NumberParseException:
                short = None
            if short is not None and phonenumbers.is_valid_short_number_for_region(short, default_region):
                raise InvalidIndicator(PHONE_SHORT)
        raise InvalidIndicator(PHONE_INVALID)
    region = phonenumbers.region_code_for_number(number)
    if not region or region in ("001", "ZZ"):
        region = None
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region in FRENCH_REGIONS
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return Phone(
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        display=phonenumbers.format_number(number, style),
        region=region,
        kind=_PHONE_KINDS.get(phonenumbers.number_type(number), "other"),
    )


# --- E-mail ------------------------------------------------------------------------------------------------------

_MAILTO_RE = re.compile(r"mailto:", re.IGNORECASE)
_LOCAL_PART_RE = re.compile(r"[\w!#$%&'*+/=?^`{|}~\-]+(?:\.[\w!#$%&'*+/=?^`{|}~\-]+)*")
MAX_LOCAL_PART_BYTES = 64
MAX_EMAIL_CHARS = 254


@dataclass(frozen=True)
class Email:
    """``address``: local part in lowercase (NFC) + ``@`` + the canonical ASCII domain (punycode)."""

    address: str
    domain: str


def _normalise_local_part(local: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", local).lower())


@_memoised
def normalise_email(raw: str) -> Email:
    """An e-mail address, optionally in ``<…>`` or after ``mailto:``. Local part: dot-separated runs of letters,
    digits and ``!#$%&'*+/=?^`{|}~-`` (no quoted forms), at most 64 bytes; domain: canonicalised as a URL host
    (IDN -> punycode), not an IP address, with at least two labels and a known public suffix (``has_known_suffix``).
    """
    if not isinstance(raw, str):
        raise InvalidIndicator(EMAIL_INVALID)
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    if _MAILTO_RE.match(text):
        text = text[7:]
    if len(text) > MAX_EMAIL_CHARS * 2:
        raise InvalidIndicator(EMAIL_INVALID)
    local, at, raw_domain = text.rpartition("@")
    local = _normalise_local_part(local)
    if (
        not at
        or not _LOCAL_PART_RE.fullmatch(local)
        or len(local.encode("utf-8")) > MAX_LOCAL_PART_BYTES
        or not raw_domain
        or _CONTROL_RE.search(raw_domain)
        or raw_domain.startswith("[")
        or "%" in raw_domain
    ):
        raise InvalidIndicator(EMAIL_INVALID)
    try:
        domain, is_ip = canonical_host(raw_domain)
    except InvalidIndicator as error:
        raise InvalidIndicator(EMAIL_INVALID) from error
    if is_ip or "." not in domain or not domains.has_known_suffix(domain):
        raise InvalidIndicator(EMAIL_INVALID)
    address = f"{local}@{domain}"
    if len(address) > MAX_EMAIL_CHARS:
        raise InvalidIndicator(EMAIL_INVALID)
    return Email(address=address, domain=domain)


# --- IBAN --------------------------------------------------------------------------------------------------------

_IBAN_PREFIX_RE = re.compile(r"IBAN\s*:?", re.IGNORECASE)
_IBAN_SEPARATORS_RE = re.compile(r"[\s\-.]+")
_IBAN_SHAPE_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}")
_IBAN_LETTER_DIGITS = str.maketrans({chr(code): str(code - 55) for code in range(ord("A"), ord("Z") + 1)})


@dataclass(frozen=True)
class Iban:
    compact: str
    display: str
    country: str


@_memoised
def normalise_iban(raw: str) -> Iban:
    """An IBAN with or without spaces (also ``-`` or ``.``), any case, optionally after ``IBAN`` or ``IBAN :``.
    The checksum, the length and the layout of the country are verified with ``stdnum.iban``; not the national
    checks of a few countries (``check_country=False``), since python-stdnum's Belgian one also rejects bank
    codes missing from its own list, which a new bank would be."""
    if not isinstance(raw, str) or len(raw) > 100:
        raise InvalidIndicator(IBAN_INVALID)
    text = raw.strip()
    prefix = _IBAN_PREFIX_RE.match(text)
    if prefix:
        text = text[prefix.end() :]
    compact = _IBAN_SEPARATORS_RE.sub("", text)
    if not compact.isascii():
        raise InvalidIndicator(IBAN_INVALID)
    compact = compact.upper()
    if not _IBAN_SHAPE_RE.fullmatch(compact):
        raise InvalidIndicator(IBAN_INVALID)
    if int((compact[4:] + compact[:4]).translate(_IBAN_LETTER_DIGITS)) % 97 != 1:
        raise InvalidIndicator(IBAN_INVALID)  # the ISO 7064 checksum, before the slower complete validation
    try:
        compact = stdnum_iban.validate(compact, check_country=False)
    except StdnumValidationError as error:
        raise InvalidIndicator(IBAN_INVALID) from error
    return Iban(compact=compact, display=stdnum_iban.format(compact), country=compact[:2])
