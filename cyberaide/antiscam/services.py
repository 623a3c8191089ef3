"""Every write of the anti-scam filter: reports, listings and their end, contests, imports, rules.

An indicator reaches the list only by a staff decision, a staff rule met by independent sources, or a staff import.
"""

import csv
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from cyberaide.core.errors import UserError
from cyberaide.core.mail import absolute, send_after_commit, staff_addresses

from . import filterlist, lookalike
from .canonical import InvalidIndicator, canonical_url, expression_hash, url_expressions
from .domains import SHARED_HOSTING, SHORTENERS, registrable_domain, site_of
from .extract import Found, InvalidInput, classify_single
from .extract import Kind as FoundKind
from .models import (
    Category,
    Contest,
    ImportBatch,
    Indicator,
    Kind,
    Listing,
    ListingRule,
    Report,
    ResultReport,
    TrustedDomain,
    indicator_key,
)

# ---------------------------------------------------------------------------------------------------------------
# Indicators and reports


def source_key(address: str) -> str:
    """A keyed hash of the network ``address`` belongs to (IPv4 /24, IPv6 /48). Reports sharing a key are counted as
    one source; the key cannot be turned back into an address without the server's secret."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    ip = getattr(ip, "ipv4_mapped", None) or ip
    network = ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False)
    return hmac.new(settings.SECRET_KEY.encode(), str(network).encode(), hashlib.sha256).hexdigest()[:32]


def is_trusted_site(domain: str) -> bool:
    """A domain that rules and imports never list whole: a shortener, a shared host, a protected organisation's
    official domain, a State site (under gouv.fr), or one staff marked as trusted."""
    site = site_of(domain)
    return (
        site in SHORTENERS
        or site in SHARED_HOSTING
        or site.endswith(".gouv.fr")
        or lookalike.official_brand(site) is not None
        or TrustedDomain.objects.filter(domain__in={site, registrable_domain(site)}).exists()
    )


@dataclass(frozen=True)
class IndicatorValue:
    kind: str
    value: str
    display: str


def indicator_values(found: Found) -> list[IndicatorValue]:
    """What a found item is recorded as: a web address counts for its page and for its site (except shorteners,
    whose site is everyone's)."""
    if found.kind == FoundKind.URL:
        url = found.detail
        # The query is left out: phishing links often carry the target's e-mail address or a customer number.
        page = url.url.split("?", 1)[0]
        values = [IndicatorValue(Kind.URL, page, Truncator(page).chars(300))]
        if not url.is_shortener:
            site = site_of(url.host)
            values.append(IndicatorValue(Kind.SITE, site, _unicode_site(url, site)))
        return values
    kind = {FoundKind.EMAIL: Kind.EMAIL, FoundKind.PHONE: Kind.PHONE, FoundKind.IBAN: Kind.IBAN}[found.kind]
    return [IndicatorValue(kind, found.value, found.display)]


def _unicode_site(url, site: str) -> str:
    """The site as written in ASCII, which shows a look-alike letter as "xn--…", with its Unicode form beside it."""
    labels = site.count(".") + 1
    unicode_site = ".".join(url.unicode_host.split(".")[-labels:])
    return site if unicode_site == site else f"{site} ({unicode_site})"


def single_indicator(text: str) -> Found | None:
    """The one indicator ``text`` is, or None (malformed, several, or not text at all)."""
    try:
        return classify_single(text)
    except InvalidInput:
        return None


def get_or_create_indicator(value: IndicatorValue) -> Indicator:
    indicator, _ = Indicator.objects.get_or_create(
        key=indicator_key(value.kind, value.value),
        defaults={"kind": value.kind, "value": value.value, "display": value.display},
    )
    return indicator


@transaction.atomic
def record_reports(*, found: list[Found], incident_code: str, source: str, result=None) -> list[Indicator]:
    """Count what a victim says the scammer used. One submission per diagnostic result; nothing about the victim is
    kept but the network key (erased later). Staff rules are checked at once."""
    if result is not None:
        _, created = ResultReport.objects.get_or_create(result=result, defaults={"indicator_count": len(found)})
        if not created:
            raise UserError("Vous avez déjà envoyé ces éléments pour ce diagnostic. Merci !")
    now = timezone.now()
    # Reports are dated to the day only, so that no timestamp ties them to a victim's other traces.
    day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    recorded = []
    seen = set()
    for item in found:
        for value in indicator_values(item):
            if (value.kind, value.value) in seen:
                continue
            seen.add((value.kind, value.value))
            # Locked until the commit: its counters are updated in place.
            indicator = Indicator.objects.select_for_update().get(pk=get_or_create_indicator(value).pk)
            new_source = bool(source) and not indicator.reports.filter(source_key=source).exists()
            Report.objects.create(indicator=indicator, incident_code=incident_code, reported_at=day, source_key=source)
            indicator.report_count += 1
            indicator.source_count += int(new_source)
            indicator.last_reported_at = day
            indicator.first_reported_at = indicator.first_reported_at or day
            indicator.save(update_fields=["report_count", "source_count", "first_reported_at", "last_reported_at"])
            apply_rules(indicator, now=now)
            recorded.append(indicator)
    return recorded


def independent_sources(indicator: Indicator, *, since) -> int:
    return (
        indicator.reports.filter(reported_at__gte=since).exclude(source_key="").values("source_key").distinct().count()
    )


def apply_rules(indicator: Indicator, *, now=None) -> Listing | None:
    """What an active staff rule of its kind does once it is met: a look-alike of a protected brand is listed when
    the rule was restricted by staff to those; anything else is only proposed to staff (top of the queue, with its
    evidence). Victims' reports alone never list: anyone controlling a few networks could otherwise have an
    innocent business, number or account listed. Never a trusted site, never twice."""
    now = now or timezone.now()
    if current_listing(indicator) is not None:
        return None
    if _lists_whole_trusted_site(indicator):
        return None
    if indicator.kind == Kind.URL and _url_on_shortener(indicator.value):
        # A shortened link is listed by staff only, once they know where it leads.
        return None
    if indicator.kind == Kind.EMAIL and is_trusted_site(indicator.value.rsplit("@", 1)[-1]):
        # A scammer may forge the sender's address of an administration or a bank: staff decide.
        return None
    for rule in ListingRule.objects.filter(is_active=True, kind=indicator.kind).order_by("min_sources"):
        since = now - timedelta(days=rule.window_days)
        if indicator.reviewed_at is not None:
            since = max(since, indicator.reviewed_at)  # staff set it aside: only what came after counts
        if independent_sources(indicator, since=since) < rule.min_sources:
            continue
        if rule.lists_lookalikes and lookalike_of_protected_brand(indicator):
            try:
                return list_indicator(
                    indicator=indicator,
                    category=rule.category,
                    reason=rule.reason,
                    expires_at=now + timedelta(days=rule.duration_days),
                    origin=Listing.Origin.RULE,
                    rule=rule,
                )
            except UserError:
                return None
        if indicator.proposed_at is None:
            indicator.proposed_at, indicator.proposed_by = now, rule
            indicator.save(update_fields=["proposed_at", "proposed_by"])
        return None
    return None


def indicator_host(indicator: Indicator) -> str:
    """The host a site or page indicator is on ("" for a number, an address or an IBAN)."""
    if indicator.kind == Kind.SITE:
        return indicator.value
    if indicator.kind == Kind.URL:
        try:
            return canonical_url(indicator.value).host
        except InvalidIndicator:
            return ""
    return ""


def lookalike_of_protected_brand(indicator: Indicator) -> list:
    """The signals that the site or page imitates a protected brand (empty for anything else)."""
    host = indicator_host(indicator)
    return lookalike.lookalike_signals(host) if host else []


def set_aside(indicator: Indicator) -> None:
    """Staff examined a proposal and do not list it: it leaves the top of the queue until new sources report it."""
    Indicator.objects.filter(pk=indicator.pk).update(proposed_at=None, proposed_by=None, reviewed_at=timezone.now())


def _url_on_shortener(value: str) -> bool:
    try:
        return canonical_url(value).is_shortener
    except InvalidIndicator:
        return False


# ---------------------------------------------------------------------------------------------------------------
# Listings


def current_listing(indicator: Indicator) -> Listing | None:
    return Listing.objects.active().filter(indicator=indicator).first()


def listed_expression(indicator: Indicator) -> str:
    """What browsers match for a listed site (every page of it and its subdomains) or a listed page."""
    if indicator.kind == Kind.SITE:
        return f"{indicator.value}/"
    if indicator.kind == Kind.URL:
        return canonical_url(indicator.value).page_expression
    return ""


def list_indicator(
    *,
    indicator: Indicator,
    category: str,
    reason: str,
    expires_at,
    origin: str,
    by=None,
    rule: ListingRule | None = None,
    batch: ImportBatch | None = None,
) -> Listing:
    """Put ``indicator`` on the list until ``expires_at``. A site staff trust is never listed whole."""
    reason = reason.strip()
    now = timezone.now()
    _check_listing_terms(category=category, reason=reason, expires_at=expires_at, now=now)
    if _lists_whole_trusted_site(indicator):
        raise UserError(
            f"« {indicator.display} » est un domaine de confiance ou un service de liens raccourcis : on ne peut "
            "pas inscrire tout le site. Inscrivez plutôt l'adresse précise de la page frauduleuse."
        )
    with transaction.atomic():
        Indicator.objects.select_for_update().get(pk=indicator.pk)
        if current_listing(indicator) is not None:
            raise UserError("Cet indicateur est déjà sur la liste : prolongez son inscription si besoin.")
        # An expired listing not yet closed by the periodic job is closed now, so that only one is active.
        _close_expired(Listing.objects.filter(indicator=indicator, status=Listing.Status.ACTIVE), now=now)
        expression = listed_expression(indicator)
        listing = Listing.objects.create(
            indicator=indicator,
            category=category,
            reason=reason[:300],
            expression=expression,
            full_hash=expression_hash(expression).hex() if expression else "",
            origin=origin,
            rule=rule,
            batch=batch,
            listed_at=now,
            listed_by=by,
            expires_at=expires_at,
        )
        if listing.full_hash:
            filterlist.record_change(listing.full_hash, added=True)
        Indicator.objects.filter(pk=indicator.pk).update(proposed_at=None, proposed_by=None, reviewed_at=now)
    return listing


def _check_listing_terms(*, category: str, reason: str, expires_at, now) -> None:
    if not reason.strip():
        raise UserError("Indiquez la raison de l'inscription : elle est montrée au public.")
    if category not in Category.values:
        raise UserError("Choisissez une catégorie de la liste.")
    if expires_at <= now:
        raise UserError("La date d'expiration doit être dans le futur.")


def _lists_whole_trusted_site(indicator: Indicator) -> bool:
    """A site, or the root page of a host (its expression "host/" covers the whole host), on a trusted domain."""
    if indicator.kind == Kind.SITE:
        return is_trusted_site(indicator.value)
    if indicator.kind == Kind.URL:
        url = canonical_url(indicator.value)
        return url.path == "/" and (url.is_shortener or is_trusted_site(url.host))
    return False


def renew_listing(listing: Listing, *, expires_at) -> Listing:
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if not listing.is_current:
            raise UserError("Cette inscription est terminée : inscrivez de nouveau l'indicateur si besoin.")
        if expires_at <= timezone.now():
            raise UserError("La nouvelle date d'expiration doit être dans le futur.")
        listing.expires_at = expires_at
        listing.save(update_fields=["expires_at"])
    return listing


def lift_listing(listing: Listing, *, by, reason: str) -> Listing:
    """Take an indicator off the list, with the reason (kept in its history)."""
    reason = reason.strip()
    if not reason:
        raise UserError("Indiquez pourquoi l'indicateur est retiré de la liste.")
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        if listing.status != Listing.Status.ACTIVE:
            raise UserError("Cette inscription est déjà terminée.")
        _end_listing(
            listing, status=Listing.Status.LIFTED, ended_at=timezone.now(), ended_by=by, end_reason=reason[:300]
        )
    return listing


def _close_expired(queryset, *, now) -> int:
    ended = 0
    for listing in queryset.select_for_update().filter(expires_at__lte=now, status=Listing.Status.ACTIVE):
        _end_listing(listing, status=Listing.Status.EXPIRED, ended_at=listing.expires_at)
        ended += 1
    return ended


def _end_listing(listing: Listing, **changes) -> None:
    """End a locked listing: save its new state, tell the browsers' list, answer its pending contests."""
    for field, value in changes.items():
        setattr(listing, field, value)
    listing.save(update_fields=list(changes))
    if listing.full_hash:
        filterlist.record_change(listing.full_hash, added=False)
    _close_pending_contests(listing)


@transaction.atomic
def expire_listings(*, now=None) -> int:
    """End every listing whose expiry passed (``manage.py expire_listings``, every 10 minutes). A listing past its
    expiry is never shown nor matched anyway: this only closes it and tells the browsers' list."""
    return _close_expired(Listing.objects.all(), now=now or timezone.now())


# ---------------------------------------------------------------------------------------------------------------


def listing_for(found: Found, *, now=None) -> Listing | None:
    """The current listing ``found`` falls under. A web address is matched as browsers match it: by the hashes of
    its expressions (its page, its site, the site's parent domains…); anything else by its canonical value."""
    active = Listing.objects.active(at=now).select_related("indicator")
    if found.kind == FoundKind.URL:
        hashes = [expression_hash(expression).hex() for expression in url_expressions(found.detail)]
        return active.filter(full_hash__in=hashes).order_by("indicator__kind").first()
    keys = [indicator_key(value.kind, value.value) for value in indicator_values(found)]
    return active.filter(indicator__key__in=keys).first()


def find_listing_for_address(address: str) -> Listing | None:
    found = single_indicator(address)
    return listing_for(found) if found is not None else None


@transaction.atomic
def submit_contest(*, address: str, name: str, email: str, message: str) -> Contest:
    """The owner of a listed site, number or address asks for its removal; the listing stays until staff decide.

    Never capped per listing, so that junk contests cannot shut the real owner out (M2 of the security review): a
    second contest from the same e-mail address is merged into the first, and the staff who decide are e-mailed
    when a listing gets its first contest to examine (the others join it in their queue)."""
    listing = find_listing_for_address(address)
    if listing is None:
        raise UserError(
            "Cette adresse n'est pas sur notre liste des arnaques signalées : il n'y a rien à contester. "
            "Vérifiez qu'il s'agit bien de l'adresse affichée dans l'avertissement."
        )
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    email = email.strip()
    pending = listing.contests.select_for_update().filter(status=Contest.Status.PENDING)
    earlier = pending.filter(email__iexact=email).first()
    if earlier is not None:
        earlier.message = f"{earlier.message}\n\n— Ajouté le {timezone.localtime():%d/%m/%Y à %H:%M} —\n{message}"
        earlier.save(update_fields=["message"])
        return earlier
    first_to_examine = not pending.exists()
    contest = Contest.objects.create(
        listing=listing, address=address.strip()[:2100], name=name.strip(), email=email, message=message
    )
    send_after_commit(
        "votre contestation est enregistrée",
        "antiscam/emails/contest_received.txt",
        {"contest": contest},
        contest.email,
    )
    if first_to_examine:
        # The owner waits for an answer while the warning is shown: the staff who decide are told at once.
        link = absolute(reverse("admin:antiscam_contest_change", args=[contest.pk]))
        for recipient in staff_addresses("antiscam.decide_contest"):
            send_after_commit(
                f"contestation à examiner : {listing.indicator.display}",
                "antiscam/emails/contest_to_examine.txt",
                {"contest": contest, "link": link},
                recipient,
            )
    return contest


def _close_pending_contests(listing: Listing) -> None:
    """A listing that ends answers its pending contests: there is nothing left to contest."""
    for contest in listing.contests.select_for_update().filter(status=Contest.Status.PENDING):
        contest.status = Contest.Status.MOOT
        contest.decided_at = timezone.now()
        contest.decision_note = "L'inscription a pris fin : l'avertissement n'est plus affiché."
        contest.save(update_fields=["status", "decided_at", "decision_note"])
        _send_answer(contest)


def _send_answer(contest: Contest) -> None:
    send_after_commit(
        "réponse à votre contestation", "antiscam/emails/contest_decided.txt", {"contest": contest}, contest.email
    )


def decide_contest(contest: Contest, *, uphold: bool, note: str, by) -> Contest:
    """Staff answer a contest: upheld lifts the listing, rejected keeps it. The answer is e-mailed."""
    note = note.strip()
    if not note:
        raise UserError("Écrivez la réponse envoyée à la personne qui conteste : elle doit savoir pourquoi.")
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if contest.status != Contest.Status.PENDING:
            raise UserError("Cette contestation a déjà reçu une réponse.")
        contest.status = Contest.Status.UPHELD if uphold else Contest.Status.REJECTED
        contest.decided_at = timezone.now()
        contest.decided_by = by
        contest.decision_note = note
        contest.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        if uphold and contest.listing.status == Listing.Status.ACTIVE:
            lift_listing(contest.listing, by=by, reason=f"Contestation acceptée : {note}")
        _send_answer(contest)
    return contest


# ---------------------------------------------------------------------------------------------------------------
# Imports

# Each line is checked and journaled in one transaction: a larger list is imported in several files.
MAX_IMPORT_LINES = 2_000


@dataclass(frozen=True)
class ImportLine:
    number: int
    text: str


def parse_import(content: bytes, *, csv_file: bool = False) -> list[ImportLine]:
    """A partner's list: UTF-8 text, one site, address, number, e-mail address or IBAN per line; blank lines and
    lines starting with "#" are ignored; for a CSV file (comma or semicolon), the first column is read."""
    if b"\x00" in content:
        raise UserError("Ce fichier n'est pas un fichier texte : envoyez une liste en texte ou CSV (UTF-8).")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("Ce fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 puis réessayez.") from None
    delimiter = _csv_delimiter(text) if csv_file else None
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if delimiter and value:
            value = next(csv.reader([value], delimiter=delimiter), [""])[0].strip()
        if value and not value.startswith("#"):
            lines.append(ImportLine(number, value))
    if not lines:
        raise UserError("Ce fichier ne contient aucune ligne à importer.")
    if len(lines) > MAX_IMPORT_LINES:
        raise UserError(f"Ce fichier a trop de lignes : {MAX_IMPORT_LINES:,} au plus par import.".replace(",", " "))
    return lines


def _csv_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def import_list(
    *, content: bytes, file_name: str, source: str, category: str, reason: str, expires_at, by
) -> ImportBatch:
    """List every valid line of a partner's file, with the source recorded. A bare domain lists the whole site, an
    address with a path lists that page. Invalid lines, trusted sites and indicators already listed are skipped and
    reported."""
    if not source.strip():
        raise UserError("Indiquez la source de cette liste (le partenaire qui l'a fournie).")
    _check_listing_terms(category=category, reason=reason, expires_at=expires_at, now=timezone.now())
    lines = parse_import(content, csv_file=file_name.lower().endswith(".csv"))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            source=source.strip(),
            file_name=file_name[:255],
            category=category,
            reason=reason.strip(),
            expires_at=expires_at,
            line_count=len(lines),
            imported_by=by,
        )
        skipped = []
        listed = 0

        def skip(line: ImportLine, why: str) -> None:
            skipped.append({"ligne": line.number, "texte": line.text[:200], "raison": why})

        for line in lines:
            value = _import_value(line.text)
            if value is None:
                skip(line, "illisible")
                continue
            indicator = get_or_create_indicator(value)
            if current_listing(indicator) is not None:
                skip(line, "déjà sur la liste")
                continue
            try:
                list_indicator(
                    indicator=indicator,
                    category=category,
                    reason=reason,
                    expires_at=expires_at,
                    origin=Listing.Origin.IMPORT,
                    by=by,
                    batch=batch,
                )
            except UserError as error:
                skip(line, "domaine de confiance" if "confiance" in error.message else error.message)
                continue
            listed += 1
        batch.listed_count = listed
        batch.skipped = skipped[:1000]
        batch.save(update_fields=["listed_count", "skipped"])
    return batch


def _import_value(text: str) -> IndicatorValue | None:
    found = single_indicator(text)
    if found is None:
        return None
    values = indicator_values(found)
    if found.kind == FoundKind.URL:
        url = found.detail
        # An address with a path lists the page. Given its registrable name ("exemple.fr", "www.exemple.fr"), the
        # whole site; given a subdomain ("promo.exemple.fr"), that host only (its root page's expression "host/"
        # covers it and nothing above).
        if (
            url.path == "/"
            and not url.query
            and len(values) > 1
            and url.host in (values[1].value, f"www.{values[1].value}")
        ):
            return values[1]
    return values[0]


# ---------------------------------------------------------------------------------------------------------------
# Retention


def erase_old_source_keys(*, now=None) -> int:
    """Network keys are needed only while rules look back; then reports keep just the indicator, incident and day."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ANTISCAM_SOURCE_RETENTION_DAYS)
    return Report.objects.filter(reported_at__lt=limit).exclude(source_key="").update(source_key="")


def erase_old_contests(*, now=None) -> int:
    """The contact details of answered contests are kept ``ANTISCAM_CONTEST_RETENTION_DAYS``, then erased."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ANTISCAM_CONTEST_RETENTION_DAYS)
    return (
        Contest.objects.filter(Q(decided_at__lt=limit) | Q(decided_at__isnull=True, submitted_at__lt=limit))
        .exclude(email="")
        .update(name="", email="", message="(effacé après la durée de conservation)")
    )
