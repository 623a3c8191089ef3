"""Does a web host imitate a protected brand or administration? Pure Python (no Django).

``lookalike_signals(host)`` answers with at most one ``LookalikeSignal`` per brand of ``brands.BRANDS``, strongest
first, and an empty list for the official hosts of any brand, for every host under ``gouv.fr`` (nobody but the State
registers there) and for ordinary hosts. Hosts arrive ASCII and lowercase, internationalised labels in their
"xn--" form; the rule decodes them itself (a label that does not decode is analysed as written, and
``undecodable_labels`` lists it: it is itself a warning sign for whoever combines the rules).

The rule
========

The host is cut in two at its registrable domain (``domains.registrable_domain``, public suffix list with private
suffixes, so ``x.github.io`` or ``x.web.app`` is a site of its own): the *name* (the registrable domain without its
suffix: "ameli-remboursement" in ``ameli-remboursement.com``) and the *subdomains* (the labels before it).

Brand tokens come in two strengths. A *strong* token has five characters or more and is not an ordinary word
("ameli", "laposte", "paypal", "creditagricole"). A *weak* token is short or an ordinary word ("caf", "sfr", "edf",
"lcl", "cic", "ants", "free", "orange", "total", "poste"…, see ``brands.ORDINARY_WORDS``): it never fires alone
and needs *corroboration*, which is one of

* a *companion word* elsewhere in the host: the vocabulary of phishing pages ("securite", "remboursement",
  "compte", "connexion", "espace", "client", "suivi", "colis", "paiement", "amende", "dossier", "gouv"…,
  ``COMPANION_WORDS``);
* the brand's official domain written with hyphens ("caf-fr", "ants-gouv-fr");
* the name being exactly the token under an odd ending: a cheap extension often used by fraudsters ("orange.xyz",
  "caf.info") or a free hosting platform ("sfr.web.app").

A label is compared with the tokens in three forms: as written (accents included), *folded* (accents removed) and
as its *skeleton* (``skeleton``: letters of other alphabets and digit tricks replaced by the Latin letters they
imitate). Within one form, a token is found

* as the whole label, hyphens ignored ("ameli", "a-meli") or as a part of it, parts being separated by hyphens and
  digits ("ameli-remboursement", "ameli24"): a strong token fires at once, a weak one when corroborated;
* across consecutive parts ("la-poste", "credit-agricole"): only if the rest of the name is made of known words
  (companion words, or neutral ones such as "fr", "mon", "en-ligne", ``FILLER_WORDS``) or holds a companion word,
  because ordinary phrases split that way ("cafe-de-la-poste", "hotel-de-la-poste");
* inside a longer part ("monameli", "lapostefr", "espaceclientfree"): a strong token of eight characters or more
  fires at once ("colissimo", "chronopost" are never innocent), a shorter one only if the rest of the part is known
  words ("amelie" or "cafedelaposte" stay silent); a weak token needs known words and a companion word.

Signals, from strongest to weakest (the order of the returned list):

``homoglyph``
    the token is found only once accents are removed or in the skeleton: "xn--meli-43d" (Cyrillic "а" in
    "аmeli"), "arneli-fr", "lap0ste", "xn--amli-cpa" ("améli"). A digit or a letter of another alphabet is enough
    even in a weak token ("0range-facture"): nobody writes an ordinary word that way. An accent on a weak token
    ("orangé") is not: the word is then treated as if written plainly and needs corroboration.
``mixed_script``
    a label mixing Latin letters with Cyrillic or Greek ones whose skeleton holds a token, but glued to other
    words ("аmelifr" with a Cyrillic "а") or one typo away ("аmelli"); when the skeleton is the token or one of
    the label's parts ("аmeli", "аmeli-remboursement") the signal is ``homoglyph``. A mixed label that resembles
    no brand is not reported here: the function only returns signals bound to a brand.
``brand_in_name``
    the token is in the name of a domain that is not the brand's ("ameli-remboursement.com",
    "secure-laposte.info", "impots-gouv.fr").
``brand_in_subdomain``
    an official domain ("ameli.fr.dossier-secure.com", "www.impots.gouv.fr.remboursement.top") or a token
    ("laposte.suivi-colis.net") appears before the registrable domain, which is someone else's.
``typo``
    a label, a part of it or the name without hyphens, folded or as a skeleton, at Damerau-Levenshtein distance 1
    from a strong token ("amelli", "lapostte", "impost", "creditagricol"). Both must have five characters or more,
    and for tokens under seven characters the first letter must be kept (or swapped for a look-alike, "lmpots"):
    otherwise "minted" would imitate "vinted" and "cloud" "icloud". A word of ``brands.ORDINARY_WORDS`` ("amelie",
    "engine", "amazone") needs corroboration.

Known limits: a host that imitates a brand by its theme only ("carte-vitale-renouvellement.com") or by initials
("ca-particuliers.com", "lbp-securite.com") is not seen; a legitimate site that uses a strong token in its name
("amazon-rainforest.org", a fan wiki "netflix.fandom.com") is reported, the explanation then staying true: the
address does not belong to the brand.
"""

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .brands import BRANDS, ORDINARY_WORDS, Brand
from .domains import public_suffix, registrable_domain

HOWS = ("homoglyph", "mixed_script", "brand_in_name", "brand_in_subdomain", "typo")  # strongest first
_RANK = {how: rank for rank, how in enumerate(HOWS)}


@dataclass(frozen=True)
class LookalikeSignal:
    brand: Brand
    how: str  # one of HOWS
    explanation: str  # plain French, for the person who received the link


# --- Vocabulary ---

# Words phishing pages put next to a brand. Accents removed, as in host names.
COMPANION_WORDS: frozenset[str] = frozenset(
    {
        "acces",
        "access",
        "account",
        "activation",
        "actualisation",
        "aide",
        "alert",
        "alerte",
        "allocation",
        "allocations",
        "amende",
        "amendes",
        "annulation",
        "assistance",
        "assure",
        "assures",
        "auth",
        "authentification",
        "avis",
        "billing",
        "blocage",
        "bloque",
        "carte",
        "certicode",
        "client",
        "clients",
        "colis",
        "commande",
        "compte",
        "comptes",
        "confirm",
        "confirmation",
        "connect",
        "connexion",
        "contravention",
        "deblocage",
        "debloquer",
        "delivery",
        "dossier",
        "douane",
        "echeance",
        "espace",
        "expedition",
        "facturation",
        "facture",
        "factures",
        "fraude",
        "gouv",
        "helpdesk",
        "identification",
        "identifiant",
        "impaye",
        "indemnisation",
        "indemnite",
        "infraction",
        "livraison",
        "login",
        "logon",
        "mail",
        "majoration",
        "messagerie",
        "miseajour",
        "notification",
        "paiement",
        "parcel",
        "password",
        "payment",
        "penalite",
        "reactivation",
        "recouvrement",
        "reglement",
        "regularisation",
        "relance",
        "rembourse",
        "remboursement",
        "remise",
        "renouvellement",
        "reset",
        "resiliation",
        "retour",
        "secure",
        "securise",
        "securite",
        "security",
        "signin",
        "sms",
        "solde",
        "suivi",
        "support",
        "suspendu",
        "suspension",
        "track",
        "tracking",
        "update",
        "urgent",
        "validation",
        "valider",
        "verif",
        "verification",
        "verify",
        "vitale",
        "webmail",
    }
)

# Neutral words: they neither accuse nor excuse, but a brand surrounded only by them is still the brand
# ("ameli-fr", "mon-ameli", "service-public-info").
FILLER_WORDS: frozenset[str] = frozenset(
    {
        "app",
        "de",
        "des",
        "direct",
        "du",
        "en",
        "enligne",
        "fr",
        "france",
        "groupe",
        "info",
        "infos",
        "la",
        "le",
        "les",
        "ligne",
        "ma",
        "mes",
        "mon",
        "my",
        "net",
        "officiel",
        "official",
        "online",
        "particulier",
        "particuliers",
        "portail",
        "pro",
        "service",
        "services",
        "site",
        "web",
        "www",
    }
)

_VOCABULARY = COMPANION_WORDS | FILLER_WORDS
_LONGEST_WORD = max(len(word) for word in _VOCABULARY)
_COMPANION_STEMS = tuple(sorted(word for word in COMPANION_WORDS if len(word) >= 5))  # "securisee", "impayees"

# Cheap extensions fraudsters favour, and free hosting platforms: a bare brand name under them is odd.
SUSPICIOUS_TLDS: frozenset[str] = frozenset(
    {
        "biz",
        "bond",
        "buzz",
        "cc",
        "cf",
        "cfd",
        "click",
        "club",
        "cyou",
        "ga",
        "gq",
        "help",
        "icu",
        "info",
        "link",
        "live",
        "ml",
        "monster",
        "online",
        "pw",
        "quest",
        "rest",
        "sbs",
        "shop",
        "site",
        "space",
        "store",
        "support",
        "tk",
        "top",
        "vip",
        "website",
        "work",
        "ws",
        "xyz",
    }
)
FREE_HOSTING_SUFFIXES: frozenset[str] = frozenset(
    {
        "000webhostapp.com",
        "firebaseapp.com",
        "github.io",
        "glitch.me",
        "herokuapp.com",
        "netlify.app",
        "pages.dev",
        "vercel.app",
        "web.app",
        "workers.dev",
    }
)

# --- Skeleton ---

# Letters of other alphabets (and a few Latin ones) that look like a plain Latin letter, after lowercasing and
# removing accents. Written by hand for the letters fraudsters use on domain names; Unicode's confusables data
# (https://www.unicode.org/Public/security/latest/confusables.txt, Unicode License v3) served as a reference.
# Fullwidth forms, ligatures and mathematical letters need no entry: NFKC normalisation turns them into ASCII.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a",
    "ь": "b",
    "с": "c",
    "ԁ": "d",
    "е": "e",
    "г": "r",
    "һ": "h",
    "і": "i",
    "ј": "j",
    "к": "k",
    "ӏ": "l",
    "п": "n",
    "о": "o",
    "р": "p",
    "ԛ": "q",
    "ѕ": "s",
    "у": "y",
    "ү": "y",
    "ԝ": "w",
    "х": "x",
    # Greek
    "α": "a",
    "ϲ": "c",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "ϳ": "j",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "ω": "w",
    "χ": "x",
    "γ": "y",
    # Armenian
    "ա": "w",
    "ց": "g",
    "հ": "h",
    "ո": "n",
    "օ": "o",
    "զ": "q",
    "ս": "u",
    # Latin letters without a decomposition
    "ɑ": "a",
    "ƀ": "b",
    "đ": "d",
    "ð": "d",
    "ɡ": "g",
    "ħ": "h",
    "ı": "i",
    "ɩ": "i",
    "ȷ": "j",
    "ł": "l",
    "ø": "o",
    "ŧ": "t",
    "æ": "ae",
    "œ": "oe",
    "ß": "ss",
}
# Digits written for the letter they resemble ("lap0ste", "paypa1", "amaz0n", "s3curite").
_DIGIT_TRICKS: dict[str, str] = {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t"}
# Letter pairs that read as one letter in most fonts ("arneli" for "ameli", "vvebmail").
_SEQUENCE_TRICKS: tuple[tuple[str, str], ...] = (("rn", "m"), ("vv", "w"))
# Letters a fraudster may swap even at the start of a short token (see the typo rule).
_VISUAL_PAIRS: frozenset[frozenset[str]] = frozenset(
    {frozenset("il"), frozenset("ij"), frozenset("mn"), frozenset("uv")}
)
# Special letters folding maps although they have no accent to remove.
_FOLD_EXTRA: dict[str, str] = {"æ": "ae", "œ": "oe", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ð": "d"}


def _strip_marks(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.category(char)[0] == "M")


def _skeleton_once(label: str) -> str:
    text = _strip_marks(unicodedata.normalize("NFKC", label).lower())
    text = "".join(_CONFUSABLES.get(char) or _DIGIT_TRICKS.get(char) or char for char in text)
    changed = True
    while changed:
        changed = False
        for sequence, letter in _SEQUENCE_TRICKS:
            if sequence in text:
                text = text.replace(sequence, letter)
                changed = True
    return text


@lru_cache(maxsize=65536)
def skeleton(label: str) -> str:
    """The plain Latin form a reader sees in ``label``: lowercase; compatibility forms (fullwidth, ligatures,
    mathematical letters) normalised (NFKC); accents removed; Cyrillic, Greek and Armenian look-alike letters
    replaced (``_CONFUSABLES``); digits 0 1 3 4 5 7 read as o l e a s t; "rn" read as "m" and "vv" as "w".
    Idempotent: the skeleton of a skeleton is itself."""
    text = _skeleton_once(label)
    for _ in range(4):  # normalisation steps settle after one pass in practice; make sure of it
        again = _skeleton_once(text)
        if again == text:
            break
        text = again
    return text


@lru_cache(maxsize=65536)
def _fold(label: str) -> str:
    """Accents removed, case lowered: what the label says to a reader who ignores diacritics."""
    return _strip_marks("".join(_FOLD_EXTRA.get(char, char) for char in label.lower()))


def _scripts(text: str) -> set[str]:
    found = set()
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found


@lru_cache(maxsize=16384)
def _mixes_scripts(text: str) -> bool:
    scripts = _scripts(text)
    return "LATIN" in scripts and bool(scripts & {"CYRILLIC", "GREEK"})


# --- Distance ---


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting insertions, deletions, substitutions and swaps of two adjacent characters (the
    "optimal string alignment" variant, each substring edited once)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _is_typo_of(candidate: str, token: str) -> bool:
    if candidate == token or len(candidate) < 5 or abs(len(candidate) - len(token)) > 1:
        return False
    if len(token) < 7 and candidate[0] != token[0] and frozenset((candidate[0], token[0])) not in _VISUAL_PAIRS:
        return False
    # Common ends cannot hold the edit; one edit leaves at most two characters on each side.
    start = 0
    while start < min(len(candidate), len(token)) and candidate[start] == token[start]:
        start += 1
    end = 0
    while end < min(len(candidate), len(token)) - start and candidate[-1 - end] == token[-1 - end]:
        end += 1
    a, b = candidate[start : len(candidate) - end], token[start : len(token) - end]
    return len(a) <= 2 and len(b) <= 2 and damerau_levenshtein(a, b) == 1


# --- Words in a label ---

_SPLIT = re.compile(r"[^a-z]+")  # on the folded form: hyphens, digits and any leftover non-ASCII character
_SPLIT_UNICODE = re.compile(r"[-_0-9]+")


def _parts(text: str) -> list[str]:
    splitter = _SPLIT if text.isascii() else _SPLIT_UNICODE
    return [part for part in splitter.split(text) if part]


@lru_cache(maxsize=16384)
def _segment(piece: str) -> tuple[str, ...] | None:
    """``piece`` cut into vocabulary words ("monespaceclient" -> mon, espace, client), or None."""
    if not piece:
        return ()
    for end in range(min(len(piece), _LONGEST_WORD), 1, -1):
        if piece[:end] in _VOCABULARY:
            rest = _segment(piece[end:])
            if rest is not None:
                return (piece[:end], *rest)
    return None


def _piece_is_known(piece: str) -> bool:
    return _segment(piece) is not None


def _piece_has_companion(piece: str) -> bool:
    words = _segment(piece)
    if words is not None:
        return any(word in COMPANION_WORDS for word in words)
    return piece.startswith(_COMPANION_STEMS)


@dataclass(frozen=True)
class _Match:
    kind: str  # "label", "part", "joined", "inside"
    leftover: tuple[str, ...]  # the other pieces of the label


@lru_cache(maxsize=65536)
def _find_token(text: str, token: str) -> _Match | None:
    """Where ``token`` is in the label ``text`` (one form of it), and what remains around it."""
    compact = text.replace("-", "")
    if compact == token:
        return _Match("label", ())
    if token not in compact:
        return None
    parts = _parts(text)
    for index, part in enumerate(parts):
        if part == token:
            return _Match("part", tuple(parts[:index] + parts[index + 1 :]))
    for start in range(len(parts)):
        joined = parts[start]
        for end in range(start + 1, len(parts)):
            joined += parts[end]
            if joined == token:
                return _Match("joined", tuple(parts[:start] + parts[end + 1 :]))
            if len(joined) >= len(token):
                break
    position = compact.find(token)
    around = [compact[:position], compact[position + len(token) :]]
    leftover = [piece for side in around for piece in _parts(side)]
    return _Match("inside", tuple(leftover))


# --- Host analysis ---


@dataclass(frozen=True)
class _Label:
    ascii: str  # as given
    text: str  # decoded (Unicode), lowercase
    decoded: bool  # False for an "xn--" label that does not decode

    @property
    def folded(self) -> str:
        return _fold(self.text)


def _decode_label(label: str) -> _Label:
    if not label.startswith("xn--"):
        return _Label(label, label, True)
    try:
        text = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError, OverflowError, IndexError):
        return _Label(label, label, False)
    if not text or text.isascii() or not text.isprintable():
        return _Label(label, label, False)
    return _Label(label, text.lower(), True)


def _normalise(host: str) -> str:
    return host.strip().rstrip(".").lower()


def _is_ip(host: str) -> bool:
    return ":" in host or host.replace(".", "").isdigit()


def undecodable_labels(host: str) -> list[str]:
    """The "xn--" labels of ``host`` that are not valid internationalised names: no browser would produce them by
    itself, so they are a warning sign even when no brand is imitated."""
    return [label for label in _normalise(host).split(".") if not _decode_label(label).decoded]


def _registrable(host: str) -> tuple[str, str]:
    """(registrable domain, public suffix), falling back on the last label when the list has no answer."""
    try:
        registrable, suffix = registrable_domain(host), public_suffix(host)
    except Exception:  # a malformed host must not break the check
        registrable, suffix = host, host.rsplit(".", 1)[-1]
    if not registrable.endswith(suffix):
        suffix = registrable.rsplit(".", 1)[-1]
    return registrable, suffix


@lru_cache(maxsize=1)
def _official_index() -> dict[str, Brand]:
    return {domain: brand for brand in BRANDS for domain in brand.domains}


def official_brand(host: str) -> Brand | None:
    """The brand whose official domain ``host`` is or is under (``www.ameli.fr``, ``assure.ameli.fr`` -> ameli)."""
    host = _normalise(host)
    if not host or _is_ip(host):
        return None
    registrable, _suffix = _registrable(host)
    index = _official_index()
    if registrable in index:
        return index[registrable]
    # Official hosts deeper than their registrable domain (mabanque.bnpparibas under the .bnpparibas extension).
    labels = host.split(".")
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if len(candidate) < len(registrable):
            break
        if candidate in index:
            return index[candidate]
    return None


def _is_state_host(suffix: str) -> bool:
    return suffix == "gouv.fr"


def _is_weak(token: str) -> bool:
    return len(token) <= 4 or token in ORDINARY_WORDS


def _dashed_official(brand: Brand, texts: list[str]) -> bool:
    for domain in brand.domains:
        dashed = "-" + domain.replace(".", "-") + "-"
        if any(dashed in "-" + text + "-" for text in texts):
            return True
    return False


@dataclass
class _Context:
    host: str
    registrable: str
    suffix: str
    name: list[_Label]  # labels of the registrable domain, suffix excluded (usually one)
    subdomains: list[_Label]
    _companion: dict[int, bool] = field(default_factory=dict)

    @property
    def odd_suffix(self) -> bool:
        return self.suffix in FREE_HOSTING_SUFFIXES or self.suffix.rsplit(".", 1)[-1] in SUSPICIOUS_TLDS

    def pieces_outside(self, label: _Label) -> list[str]:
        """The parts of every other label of the host (folded), for corroboration."""
        return [piece for other in self.name + self.subdomains if other is not label for piece in _parts(other.folded)]

    def companion_outside(self, label: _Label) -> bool:
        key = id(label)
        if key not in self._companion:
            self._companion[key] = any(_piece_has_companion(piece) for piece in self.pieces_outside(label))
        return self._companion[key]


def _fires(match: _Match, token: str, label: _Label, context: _Context, in_name: bool, brand: Brand) -> bool:
    """Whether a match of ``token`` is enough, given its kind and what surrounds it (see the module docstring)."""
    companion = any(_piece_has_companion(piece) for piece in match.leftover) or context.companion_outside(label)
    known_rest = all(_piece_is_known(piece) for piece in match.leftover)
    if not _is_weak(token):
        if match.kind in ("label", "part"):
            return True
        if match.kind == "joined":
            return known_rest or companion
        return len(token) >= 8 or known_rest
    corroborated = companion or _dashed_official(brand, [lab.folded for lab in context.name + context.subdomains])
    if match.kind == "label":
        return corroborated or (in_name and len(context.name) == 1 and context.odd_suffix)
    if match.kind in ("part", "joined"):
        return corroborated
    return known_rest and companion


def _label_signal(brand: Brand, label: _Label, context: _Context, in_name: bool) -> str | None:
    """The strongest way ``label`` imitates ``brand``, or None."""
    folded = label.folded
    skeletons = {skeleton(label.text), skeleton(label.text.replace("1", "i"))}
    mixed = _mixes_scripts(label.text)
    found: set[str] = set()
    place = "brand_in_name" if in_name else "brand_in_subdomain"
    for token in brand.tokens:
        weak = _is_weak(token)
        # As written.
        match = _find_token(label.text, token)
        if match and _fires(match, token, label, context, in_name, brand):
            found.add(place)
            continue
        # Accents removed.
        if folded != label.text:
            match = _find_token(folded, token)
            if match and _fires(match, token, label, context, in_name, brand):
                found.add("homoglyph")
                continue
        # Skeleton: other alphabets, digits, "rn" for "m"; only when the token is not plainly there already
        # ("24h-caf" is no digit trick).
        token_skeleton = skeleton(token)
        for form in skeletons - {folded} if not _find_token(folded, token) else ():
            match = _find_token(form, token_skeleton)
            if not match:
                continue
            if match.kind in ("label", "part"):
                found.add("homoglyph")
            elif _fires(match, token, label, context, in_name, brand):
                found.add("mixed_script" if mixed else "homoglyph")
        # One typing mistake away.
        if weak or found:
            continue
        for form in {folded} | skeletons:
            candidates = {form.replace("-", ""), *_parts(form)}
            for candidate in candidates:
                if not _is_typo_of(candidate, token) and not _is_typo_of(candidate, token_skeleton):
                    continue
                if candidate in ORDINARY_WORDS:
                    pieces = [piece for piece in _parts(form) if piece != candidate] + context.pieces_outside(label)
                    if not any(_piece_has_companion(piece) for piece in pieces):
                        continue
                found.add("mixed_script" if mixed and form != folded else "typo")
    if not found:
        return None
    return min(found, key=_RANK.__getitem__)


def _official_in_subdomains(brand: Brand, context: _Context) -> bool:
    """``ameli.fr.dossier-secure.com``, ``impots.gouv.fr-remboursement.com``: an official domain written before
    someone else's registrable domain."""
    before = context.host[: len(context.host) - len(context.registrable)]
    for domain in brand.domains:
        if re.search(r"(?:^|\.)" + re.escape(domain) + r"[.-]", before + context.registrable.split(".")[0]):
            return True
    return False


def _display(context: _Context) -> str:
    labels = [_decode_label(label) for label in context.registrable.split(".")]
    shown = ".".join(label.text for label in labels)
    if shown != context.registrable:
        return f"« {shown} » (qui s'écrit en réalité « {context.registrable} »)"
    return f"« {context.registrable} »"


def after_de(name: str) -> str:
    """French "de" + a brand's name: "du Crédit Agricole", "de La Poste", "d'Orange", "de l'Urssaf"."""
    lower = name.lower()
    if lower.startswith("le "):
        return "du " + name[3:]
    if lower.startswith("les "):
        return "des " + name[4:]
    if lower.startswith(("l'", "la ")):
        return "de " + name
    if lower[:1] in "aeiouyéèêàâîô":
        return "d'" + name
    return "de " + name


def after_a(name: str) -> str:
    """French "à" + a brand's name: "au Crédit Agricole", "à La Poste", "à l'Urssaf"."""
    lower = name.lower()
    if lower.startswith("le "):
        return "au " + name[3:]
    if lower.startswith("les "):
        return "aux " + name[4:]
    return "à " + name


def _explanation(brand: Brand, how: str, context: _Context) -> str:
    of, to, official, shown = after_de(brand.name), after_a(brand.name), brand.domains[0], _display(context)
    not_theirs = f"{shown} n'appartient pas {to}. Son adresse officielle est {official}."
    if how == "homoglyph":
        return (
            f"Cette adresse imite celle {of} en remplaçant des lettres par des caractères qui leur ressemblent "
            f"(un chiffre, une lettre accentuée ou d'un autre alphabet) : {not_theirs}"
        )
    if how == "mixed_script":
        return (
            f"Cette adresse mélange des lettres de plusieurs alphabets (latin et cyrillique ou grec) qui se "
            f"ressemblent, pour imiter celle {of} : {not_theirs}"
        )
    if how == "typo":
        return (
            f"Cette adresse ressemble à une lettre près à celle {of}, une ruse courante pour tromper l'œil : "
            f"{not_theirs}"
        )
    if how == "brand_in_subdomain":
        return (
            f"Cette adresse commence par le nom {of} pour inspirer confiance, mais seule la fin de l'adresse "
            f"compte : {not_theirs}"
        )
    return f"Cette adresse imite celle {of} mais n'en est pas une : {not_theirs}"


@lru_cache(maxsize=16384)
def _signals(host: str) -> tuple[LookalikeSignal, ...]:
    host = _normalise(host)
    if not host or _is_ip(host) or official_brand(host) is not None:
        return ()
    registrable, suffix = _registrable(host)
    if _is_state_host(suffix) or not registrable:
        return ()
    name = registrable[: -len(suffix) - 1] if suffix and registrable.endswith("." + suffix) else registrable
    if not name:
        return ()
    sub = host[: -len(registrable)].rstrip(".") if host.endswith(registrable) else ""
    context = _Context(
        host=host,
        registrable=registrable,
        suffix=suffix,
        name=[_decode_label(label) for label in name.split(".") if label],
        subdomains=[_decode_label(label) for label in sub.split(".") if label and label != "www"],
    )
    found: list[tuple[int, int, Brand, str]] = []
    for order, brand in enumerate(BRANDS):
        hows = []
        for label in context.name:
            how = _label_signal(brand, label, context, in_name=True)
            if how:
                hows.append(how)
        if _official_in_subdomains(brand, context):
            hows.append("brand_in_subdomain")
        for label in context.subdomains:
            how = _label_signal(brand, label, context, in_name=False)
            if how:
                hows.append(how)
        if hows:
            how = min(hows, key=_RANK.__getitem__)
            found.append((_RANK[how], order, brand, how))
    found.sort(key=lambda item: item[:2])
    return tuple(LookalikeSignal(brand, how, _explanation(brand, how, context)) for _rank, _order, brand, how in found)


def lookalike_signals(host: str) -> list[LookalikeSignal]:
    """How ``host`` imitates protected brands: at most one signal per brand, strongest first; [] for official hosts,
    hosts under gouv.fr and ordinary hosts."""
    return list(_signals(host))


def evaluate_labelled(path) -> dict:
    """Run the rule on a labelled CSV (columns host, label, brand, note; label "lookalike" or "legit") and count.

    Returns tp, fp, tn, fn, precision, recall, false_positive_rate, and the hosts behind the mistakes
    (false_positives, false_negatives) so that a report can show them."""
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    mistakes: dict[str, list[str]] = {"false_positives": [], "false_negatives": []}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            host, expected = row["host"].strip(), row["label"].strip() == "lookalike"
            flagged = bool(lookalike_signals(host))
            if expected:
                counts["tp" if flagged else "fn"] += 1
                if not flagged:
                    mistakes["false_negatives"].append(host)
            else:
                counts["fp" if flagged else "tn"] += 1
                if flagged:
                    mistakes["false_positives"].append(host)
    tp, fp, tn, fn = counts["tp"], counts["fp"], counts["tn"], counts["fn"]
    return {
        **counts,
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "false_positive_rate": fp / (fp + tn) if fp + tn else 0.0,
        **mistakes,
    }
