"""The answer of "Vérifier un lien, un numéro, un message": for each thing found in the pasted text, what we know.

Three honest answers: listed as a scam (a staff decision stands behind it), suspect (with the signals explained),
nothing known (which proves nothing). An official address of a protected organisation is said to be one.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from . import lookalike
from .extract import Extraction, Found, Rejected
from .extract import Kind as FoundKind
from .models import Indicator, Kind, Listing, indicator_key
from .services import indicator_values, listing_for

# A site first reported this recently is "newly reported".
NEW_REPORT_DAYS = 30
# Reports from fewer independent networks than this are not shown: one person alone cannot make a site "suspect".
SUSPECT_SOURCES = 3
# Official services of protected organisations on which anyone can publish a page, a form or a payment link.
USER_CONTENT_HOSTS = frozenset(
    {
        "paypal.me",
        "forms.office.com",
        "sway.office.com",
        "onedrive.live.com",
        "1drv.ms",
        "sites.google.com",
        "docs.google.com",
        "drive.google.com",
        "forms.gle",
        "storage.googleapis.com",
        "firebasestorage.googleapis.com",
    }
)


class Verdict:
    LISTED = "listed"
    SUSPECT = "suspect"
    UNKNOWN = "unknown"
    OFFICIAL = "official"


TITLES = {
    Verdict.LISTED: "Signalé comme arnaque",
    Verdict.SUSPECT: "Suspect",
    Verdict.UNKNOWN: "Rien de connu",
    Verdict.OFFICIAL: "Adresse officielle",
}

KIND_LABELS = {
    FoundKind.URL: "Lien",
    FoundKind.PHONE: "Numéro de téléphone",
    FoundKind.EMAIL: "Adresse e-mail",
    FoundKind.IBAN: "IBAN",
}

# What to do, by kind, when it is a scam or may be one.
ADVICE = {
    FoundKind.URL: [
        "N'ouvrez pas ce lien et ne saisissez rien sur ce site.",
        "Si vous y avez déjà donné un mot de passe, changez-le tout de suite.",
        "Si vous y avez donné votre carte bancaire, appelez votre banque pour faire opposition.",
    ],
    FoundKind.PHONE: [
        "Ne rappelez pas ce numéro et ne répondez pas aux messages qui en viennent.",
        "Ne donnez jamais un code reçu par SMS, même à quelqu'un qui dit être votre banque ou un policier.",
        "En cas de doute, appelez vous-même le numéro officiel de l'organisme, écrit sur votre carte ou votre "
        "contrat.",
    ],
    FoundKind.EMAIL: [
        "Ne répondez pas, n'ouvrez pas les pièces jointes et ne cliquez sur aucun lien de ce message.",
        "Si vous avez répondu en donnant des informations, changez vos mots de passe et prévenez votre banque.",
    ],
    FoundKind.IBAN: [
        "Ne faites aucun virement vers cet IBAN.",
        "Si vous avez déjà payé, appelez votre banque tout de suite pour demander le rappel des fonds, puis "
        "portez plainte.",
    ],
}


@dataclass
class ItemCheck:
    found: Found
    verdict: str
    signals: list[str] = field(default_factory=list)
    report_count: int = 0
    listing: Listing | None = None

    @property
    def title(self) -> str:
        return TITLES[self.verdict]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.found.kind]

    @property
    def advice(self) -> list[str]:
        return ADVICE[self.found.kind] if self.verdict in (Verdict.LISTED, Verdict.SUSPECT) else []


@dataclass
class CheckResult:
    items: list[ItemCheck]
    rejected: list[Rejected]
    truncated: bool


def check(extraction: Extraction, *, now=None) -> CheckResult:
    now = now or timezone.now()
    indicators = _known_indicators(extraction.found)
    items = [_check_item(found, indicators, now) for found in extraction.found]
    return CheckResult(items=items, rejected=list(extraction.rejected), truncated=extraction.truncated)


def _known_indicators(found: list[Found]) -> dict[str, Indicator]:
    keys = [indicator_key(value.kind, value.value) for item in found for value in indicator_values(item)]
    return {indicator.key: indicator for indicator in Indicator.objects.filter(key__in=keys)}


def _check_item(found: Found, indicators: dict[str, Indicator], now) -> ItemCheck:
    known = [
        indicators[key]
        for key in (indicator_key(value.kind, value.value) for value in indicator_values(found))
        if key in indicators
    ]
    reports = max((indicator.report_count for indicator in known), default=0)
    listing = listing_for(found, now=now)
    if listing is not None:
        signals = [f"Motif : {listing.get_category_display()}. {listing.reason}"]
        return ItemCheck(found, Verdict.LISTED, signals, report_count=reports, listing=listing)
    if found.kind == FoundKind.URL and (brand := lookalike.official_brand(found.detail.host)):
        if _user_content(found.detail.host):
            signal = (
                f"Cette page est hébergée par un service {lookalike.after_de(brand.name)}, mais n'importe qui peut y "
                "publier une page, un formulaire ou une demande de paiement : cela ne dit rien de son auteur."
            )
            return ItemCheck(found, Verdict.UNKNOWN, [signal], report_count=reports)
        signal = (
            f"Cette adresse appartient bien {lookalike.after_a(brand.name)}. "
            "Vérifiez tout de même ce qu'on vous demande."
        )
        return ItemCheck(found, Verdict.OFFICIAL, [signal])
    signals = _signals(found, known, now)
    if signals:
        return ItemCheck(found, Verdict.SUSPECT, signals, report_count=reports)
    return ItemCheck(found, Verdict.UNKNOWN, report_count=reports)


def _user_content(host: str) -> bool:
    """A host where anyone publishes: listed above, or a personal page under an operator's domain (x.free.fr)."""
    if host in USER_CONTENT_HOSTS:
        return True
    return host.endswith(".free.fr") and host != "www.free.fr"


def _signals(found: Found, known: list[Indicator], now) -> list[str]:
    signals = []
    if found.kind == FoundKind.URL:
        url = found.detail
        signals += [signal.explanation for signal in lookalike.lookalike_signals(url.host)]
        if url.is_shortener:
            signals.append(
                "C'est un lien raccourci : il cache l'adresse du site où il mène. Nous ne l'ouvrons pas pour vous ; "
                "ne l'ouvrez pas non plus si le message vous presse ou vous demande de payer."
            )
        if url.is_ip:
            signals.append("Ce lien mène à une adresse numérique plutôt qu'à un nom de site : c'est rarement honnête.")
    if found.kind == FoundKind.EMAIL:
        signals += [signal.explanation for signal in lookalike.lookalike_signals(found.detail.domain)]
    if found.kind == FoundKind.PHONE and found.detail.kind == "premium":
        signals.append("C'est un numéro surtaxé : chaque minute d'appel peut vous coûter cher.")
    reported = [indicator for indicator in known if indicator.source_count >= SUSPECT_SOURCES]
    if reported:
        most = max(reported, key=lambda indicator: indicator.report_count)
        what = "Ce site" if most.kind == Kind.SITE else "Cet élément"
        count = most.report_count
        text = (
            f"{what} a été signalé par {count} victime{'s' if count > 1 else ''} ; nous ne l'avons pas encore vérifié."
        )
        if most.first_reported_at and most.first_reported_at >= now - timedelta(days=NEW_REPORT_DAYS):
            text += f" Premier signalement le {timezone.localtime(most.first_reported_at):%d/%m/%Y}."
        signals.append(text)
    return signals
