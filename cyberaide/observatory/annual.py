"""The annual report: the year's key figures for staff and decision-makers, as exact counts.

Journeys come from the daily rollups (``JourneyDay``) and intervention reports from ``InterventionDay``; requests,
17Cyber conversations, ratings, providers and labels from their own tables. A bounded number of queries, whatever
the volume. These figures are internal: the public observatory publishes its own, under statistical secrecy.

For the current year the figures stop today, and the previous year is compared over the same period.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from cyberaide.assistance.models import AssistanceRequest, InterventionReport, Rating
from cyberaide.chat.lifecycle import OUTCOME_LABELS
from cyberaide.chat.models import Conversation
from cyberaide.core.audiences import Audience
from cyberaide.diagnostic.models import IncidentType
from cyberaide.providers import workflow
from cyberaide.providers.models import Label, Provider, ProviderTransition

from . import charts
from .charts import format_number, format_percent
from .models import NOT_FOUND, OUT_OF_SCOPE, InterventionDay, JourneyDay
from .rollups import day_bounds
from .selectors import AUDIENCE_PLURALS, FOLLOW_UP_LABELS, FULL_MONTH_NAMES, MONTH_NAMES

FIRST_YEAR = 2000
TOP_THREATS = 5
INTERNAL_NOTE = "Document interne : les chiffres publics sont ceux de l'observatoire, soumis au secret statistique."
MINUS = "\u2212"


@dataclass(frozen=True)
class Threat:
    code: str
    name: str
    journeys: int
    share: float  # of the audience's finished journeys


@dataclass(frozen=True)
class AudienceFigures:
    audience: str
    label: str
    journeys: int
    top_threats: tuple[Threat, ...]


@dataclass(frozen=True)
class Tally:
    """A count under a label: an outcome of the interventions or of the 17Cyber conversations."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    start: date
    end: date  # 31 December, or today for the current year
    complete: bool
    produced_at: datetime
    # Finished journeys (rollups)
    journeys: int
    journeys_by_month: tuple[tuple[int, int], ...]  # (month number, journeys) for each month of the period
    previous_journeys: int | None  # same period of the previous year; None when it has no data
    audiences: tuple[AudienceFigures, ...]
    not_found: int
    out_of_scope: int
    serious: int  # journeys whose situation the diagnosis found serious
    to_provider: int
    to_chat: int
    to_complaint: int
    # Victims assisted (requests and conversations opened in the period)
    requests: int
    securing_requests: int
    requests_reported: int
    conversations: int
    conversation_outcomes: tuple[Tally, ...]
    # Providers, at the end of the period
    providers_referenced: int
    providers_new: int
    labels_valid: int
    # Interventions reported in the period (rollups) and ratings received
    interventions: int
    intervention_outcomes: tuple[Tally, ...]
    interventions_confirmed: int
    ratings: int
    rating_average: float | None

    @property
    def change(self) -> float | None:
        if not self.previous_journeys:
            return None
        return (self.journeys - self.previous_journeys) / self.previous_journeys

    @property
    def confirmed_share(self) -> float | None:
        return self.interventions_confirmed / self.interventions if self.interventions else None


def check_year(year: int, today: date | None = None) -> int:
    current = (today or timezone.localdate()).year
    if not FIRST_YEAR <= year <= current:
        raise ValueError(f"L'année doit être comprise entre {FIRST_YEAR} et {current}.")
    return year


def parse_year(text: str) -> int:
    """A year typed by a person: four digits between 2000 and this year, or ValueError with a French message."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 4:
        example = timezone.localdate().year - 1
        raise ValueError(f"L'année demandée n'est pas valable : indiquez-la en chiffres, par exemple {example}.")
    return check_year(int(text))


def years_with_data() -> list[int]:
    """The years holding finished journeys, most recent first."""
    return sorted({day.year for day in JourneyDay.objects.dates("day", "year")}, reverse=True)


def key_figures(year: int) -> AnnualFigures:
    today = timezone.localdate()
    check_year(year, today)
    start, complete = date(year, 1, 1), year < today.year
    end = date(year, 12, 31) if complete else today
    moment = day_bounds(end)[1] if complete else timezone.now()  # the end of the period, as a moment
    since = day_bounds(start)[0]
    journeys = _journeys(start, end)
    assistance = AssistanceRequest.objects.filter(created_at__gte=since, created_at__lt=moment).aggregate(
        total=Count("pk"),
        securing=Count("pk", filter=Q(kind=AssistanceRequest.Kind.SECURISATION)),
        reported=Count("report"),
    )
    ratings = (
        Rating.objects.filter(created_at__gte=since, created_at__lt=moment)
        .exclude(status=Rating.Status.REJECTED)
        .aggregate(count=Count("pk"), average=Avg("score"))
    )
    interventions = _interventions(start, end)
    conversations = _conversation_outcomes(since, moment)
    return AnnualFigures(
        year=year,
        start=start,
        end=end,
        complete=complete,
        produced_at=timezone.localtime(),
        journeys=journeys["total"],
        journeys_by_month=tuple((month, journeys["by_month"][month]) for month in range(1, end.month + 1)),
        previous_journeys=_journey_total(*_previous_period(start, end)) or None,
        audiences=journeys["audiences"],
        not_found=journeys["not_found"],
        out_of_scope=journeys["out_of_scope"],
        serious=journeys["serious"],
        to_provider=journeys["to_provider"],
        to_chat=journeys["to_chat"],
        to_complaint=journeys["to_complaint"],
        requests=assistance["total"],
        securing_requests=assistance["securing"],
        requests_reported=assistance["reported"],
        conversations=sum(tally.count for tally in conversations),
        conversation_outcomes=conversations,
        providers_referenced=_referenced_on(moment),
        providers_new=_newly_referenced(since, moment),
        labels_valid=_labelled_on(end, moment),
        interventions=sum(tally.count for tally in interventions["outcomes"]),
        intervention_outcomes=interventions["outcomes"],
        interventions_confirmed=interventions["confirmed"],
        ratings=ratings["count"],
        rating_average=ratings["average"],
    )


def _previous_period(start: date, end: date) -> tuple[date, date]:
    last = end.replace(year=end.year - 1) if (end.month, end.day) != (2, 29) else date(end.year - 1, 2, 28)
    return start.replace(year=start.year - 1), last


def _counted(start: date, end: date):
    """Finished journeys as the observatory counts them: the four audiences, out of scope (ANSSI) apart."""
    return JourneyDay.objects.filter(day__gte=start, day__lte=end, audience__in=Audience.values)


def _journey_total(start: date, end: date) -> int:
    return _counted(start, end).exclude(incident=OUT_OF_SCOPE).aggregate(total=Sum("journeys"))["total"] or 0


def _journeys(start: date, end: date) -> dict:
    """Everything about journeys, from one grouped read of the rollups. Out-of-scope journeys (operators of vital
    importance, sent to the ANSSI, whatever their audience) are only counted apart."""
    rows = (
        JourneyDay.objects.filter(day__gte=start, day__lte=end)
        .filter(Q(audience__in=Audience.values) | Q(incident=OUT_OF_SCOPE))
        .values("audience", "incident", month=ExtractMonth("day"))
        .annotate(
            journeys=Sum("journeys"),
            to_provider=Sum("to_provider"),
            to_chat=Sum("to_chat"),
            to_complaint=Sum("to_complaint"),
            serious=Sum("serious"),
        )
        .order_by()
    )
    totals: Counter = Counter()
    by_month: Counter = Counter()
    by_audience: Counter = Counter()
    by_incident: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        count = row["journeys"]
        if row["incident"] == OUT_OF_SCOPE:
            totals["out_of_scope"] += count
            continue
        totals.update(
            total=count,
            serious=row["serious"],
            to_provider=row["to_provider"],
            to_chat=row["to_chat"],
            to_complaint=row["to_complaint"],
        )
        by_month[row["month"]] += count
        by_audience[row["audience"]] += count
        if row["incident"] == NOT_FOUND:
            totals["not_found"] += count
        else:
            by_incident[row["audience"]][row["incident"]] += count
    names = dict(IncidentType.objects.values_list("code", "name"))
    audiences = tuple(
        AudienceFigures(
            audience=audience,
            label=AUDIENCE_PLURALS[audience],
            journeys=by_audience[audience],
            top_threats=_top_threats(by_incident[audience], by_audience[audience], names),
        )
        for audience in Audience.values
    )
    return {
        **{
            key: totals[key]
            for key in ("total", "serious", "to_provider", "to_chat", "to_complaint", "not_found", "out_of_scope")
        },
        "by_month": by_month,
        "audiences": audiences,
    }


def _top_threats(counts: Counter, total: int, names: dict[str, str]) -> tuple[Threat, ...]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))
    return tuple(
        Threat(code=code, name=names.get(code, code), journeys=count, share=count / total)
        for code, count in ranked[:TOP_THREATS]
    )


def _conversation_outcomes(since: datetime, moment: datetime) -> tuple[Tally, ...]:
    rows = (
        Conversation.objects.filter(opened_at__gte=since, opened_at__lt=moment)
        .values_list("outcome")
        .annotate(count=Count("pk"))
        .order_by()
    )
    labels = {**{str(code): label for code, label in OUTCOME_LABELS.items()}, "": "En cours ou en attente"}
    return _tallies(dict(rows), labels)


def _interventions(start: date, end: date) -> dict:
    rows = (
        InterventionDay.objects.filter(day__gte=start, day__lte=end)
        .values_list("outcome", "confirmed")
        .annotate(reports=Sum("reports"))
        .order_by()
    )
    by_outcome: Counter = Counter()
    confirmed = 0
    for outcome, is_confirmed, reports in rows:
        by_outcome[outcome] += reports
        confirmed += reports if is_confirmed else 0
    return {"outcomes": _tallies(by_outcome, dict(InterventionReport.Outcome.choices)), "confirmed": confirmed}


def _tallies(counts: dict[str, int], labels: dict[str, str]) -> tuple[Tally, ...]:
    """The non-zero counts, in the order of the labels (unknown codes last, under their code)."""
    order = [*labels, *sorted(set(counts) - set(labels))]
    return tuple(Tally(code, labels.get(code, code), counts[code]) for code in order if counts.get(code))


def _referenced_on(moment: datetime) -> int:
    """Providers referenced at that moment: the state reached by their last transition before it (or, without one,
    the state their first later transition started from, or their present state, for providers created as such)."""
    transitions = ProviderTransition.objects.filter(provider=OuterRef("pk"))
    before = transitions.filter(at__lte=moment).order_by("-at", "-pk").values("to_status")[:1]
    after = transitions.filter(at__gt=moment).order_by("at", "pk").values("from_status")[:1]
    return (
        Provider.objects.annotate(status_then=Coalesce(Subquery(before), Subquery(after), F("status")))
        .filter(status_then__in=workflow.REFERENCED)
        .filter(Q(referenced_since__isnull=True) | Q(referenced_since__lte=moment))
        .count()
    )


def _newly_referenced(since: datetime, moment: datetime) -> int:
    """Providers accepted for the first time in the period (a provider is accepted once: a delisting is final)."""
    accepted = ProviderTransition.objects.filter(provider=OuterRef("pk"), action=workflow.ACCEPT.code)
    in_period = accepted.filter(at__gte=since, at__lt=moment)
    without_history = ~Exists(accepted) & Q(referenced_since__gte=since, referenced_since__lt=moment)
    return Provider.objects.filter(Exists(in_period) | without_history).count()


def _labelled_on(day: date, moment: datetime) -> int:
    """Providers holding an ExpertCyber label valid that day and not revoked by then."""
    labels = Label.objects.filter(valid_from__lte=day, valid_until__gte=day).exclude(revoked_at__lte=moment)
    return labels.values("provider").distinct().count()


# ---- Presentation: the same tables for the back-office page, the standalone page, the PDF and the command ---------


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]  # the first one heads the row headers
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[Table, ...]


def date_text(day: date) -> str:
    """``date(2026, 3, 1)`` → "1er mars 2026"."""
    return f"{'1er' if day.day == 1 else day.day} {FULL_MONTH_NAMES[day.month - 1]} {day.year}"


def title(figures: AnnualFigures) -> str:
    return f"Bilan annuel {figures.year}"


def period_text(figures: AnnualFigures) -> str:
    if figures.complete:
        return f"Chiffres clés de l'année {figures.year}, du 1er janvier au 31 décembre {figures.year}."
    return (
        f"Chiffres clés de l'année {figures.year} en cours, du 1er janvier au {date_text(figures.end)} "
        "(chiffres arrêtés à cette date)."
    )


def produced_text(figures: AnnualFigures) -> str:
    moment = figures.produced_at
    return f"Document produit le {date_text(moment.date())} à {moment:%H} h {moment:%M}."


def _number(value: int) -> str:
    return format_number(value)


def _share(part: int, whole: int) -> str:
    return format_percent(part / whole) if whole else "—"


def _with_share(part: int, whole: int) -> str:
    return f"{_number(part)} ({_share(part, whole)})" if whole else _number(part)


def change_text(figures: AnnualFigures) -> str:
    change = figures.change
    if change is None:
        return "non calculable (aucun parcours l'année précédente)"
    text = format_percent(abs(change))
    if text.startswith("0\u00a0"):
        return text
    return ("+" if change > 0 else MINUS) + text


def sections(figures: AnnualFigures) -> tuple[Section, ...]:
    return (
        Section("Parcours de diagnostic", (_journey_table(figures), _audience_table(figures), _month_table(figures))),
        Section(
            "Victimes accompagnées",
            (_follow_up_table(figures), _request_table(figures), _conversation_table(figures)),
        ),
        Section("Menaces les plus fréquentes par public", tuple(_threat_table(one) for one in figures.audiences)),
        Section("Prestataires référencés", (_provider_table(figures),)),
        Section("Interventions des prestataires", (_intervention_table(figures), _quality_table(figures))),
    )


def _journey_table(f: AnnualFigures) -> Table:
    previous_start, previous_end = _previous_period(f.start, f.end)
    previous_label = (
        f"Parcours terminés en {previous_start.year}"
        if f.complete
        else f"Parcours terminés du 1er janvier au {date_text(previous_end)} (même période)"
    )
    return Table(
        "Vue d'ensemble des parcours",
        ("Indicateur", "Valeur"),
        (
            ("Parcours terminés", _number(f.journeys)),
            (previous_label, _number(f.previous_journeys) if f.previous_journeys else "aucune donnée"),
            ("Évolution", change_text(f)),
            ("Situations non trouvées (« je ne trouve pas »)", _with_share(f.not_found, f.journeys)),
            ("Hors périmètre (orientés vers l'ANSSI)", _with_share(f.out_of_scope, f.journeys)),
        ),
    )


def _audience_table(f: AnnualFigures) -> Table:
    rows = tuple((one.label, _number(one.journeys), _share(one.journeys, f.journeys)) for one in f.audiences)
    return Table("Parcours terminés par public", ("Public", "Parcours", "Part"), rows)


def _month_table(f: AnnualFigures) -> Table:
    rows = tuple((FULL_MONTH_NAMES[month - 1].capitalize(), _number(count)) for month, count in f.journeys_by_month)
    return Table("Parcours terminés par mois", ("Mois", "Parcours"), rows)


def _follow_up_table(f: AnnualFigures) -> Table:
    counts = (f.serious, f.to_provider, f.to_chat, f.to_complaint)
    rows = tuple(
        (label, _number(count), _share(count, f.journeys))
        for label, count in zip(FOLLOW_UP_LABELS.values(), counts, strict=True)
    )
    return Table(
        "Gravité des situations et suites données aux parcours",
        ("Parcours", "Nombre", "Part des parcours terminés"),
        rows,
    )


def _request_table(f: AnnualFigures) -> Table:
    return Table(
        "Demandes d'assistance envoyées aux prestataires",
        ("Indicateur", "Demandes", "Part"),
        (
            ("Demandes envoyées", _number(f.requests), ""),
            (
                "dont sécurisation des systèmes (professionnels)",
                _number(f.securing_requests),
                _share(f.securing_requests, f.requests),
            ),
            (
                "dont clôturées avec un rapport d'intervention",
                _number(f.requests_reported),
                _share(f.requests_reported, f.requests),
            ),
        ),
    )


def _tally_table(caption: str, columns: tuple[str, ...], tallies: tuple[Tally, ...], total: int) -> Table:
    rows = tuple((tally.label, _number(tally.count), _share(tally.count, total)) for tally in tallies)
    if rows:
        rows += (("Total", _number(total), _share(total, total)),)
    return Table(caption, columns, rows)


def _conversation_table(f: AnnualFigures) -> Table:
    return _tally_table(
        "Discussions 17Cyber ouvertes, par issue",
        ("Issue", "Discussions", "Part"),
        f.conversation_outcomes,
        f.conversations,
    )


def _threat_table(one: AudienceFigures) -> Table:
    rows = tuple((threat.name, _number(threat.journeys), format_percent(threat.share)) for threat in one.top_threats)
    return Table(
        f"{one.label} : les {TOP_THREATS} menaces les plus fréquentes ({_number(one.journeys)} parcours terminés)",
        ("Menace", "Parcours", "Part des parcours de ce public"),
        rows,
    )


def _provider_table(f: AnnualFigures) -> Table:
    on = date_text(f.end)
    during = f"en {f.year}" if f.complete else "depuis le 1er janvier"
    return Table(
        "Prestataires",
        ("Indicateur", "Prestataires"),
        (
            (f"Référencés au {on}", _number(f.providers_referenced)),
            (f"Nouvellement référencés {during}", _number(f.providers_new)),
            (f"Titulaires d'un label ExpertCyber valable au {on}", _number(f.labels_valid)),
        ),
    )


def _intervention_table(f: AnnualFigures) -> Table:
    return _tally_table(
        "Rapports d'intervention par issue",
        ("Issue", "Rapports", "Part"),
        f.intervention_outcomes,
        f.interventions,
    )


def _quality_table(f: AnnualFigures) -> Table:
    confirmed, total = f.interventions_confirmed, f.interventions
    confirmed_text = (
        f"{_number(confirmed)} sur {_number(total)} ({format_percent(f.confirmed_share)})"
        if f.confirmed_share is not None
        else "aucun rapport"
    )
    rating = (
        f"{f.rating_average:.1f}".replace(".", ",") + f" sur 5 ({_number(f.ratings)} avis)"
        if f.rating_average is not None
        else "aucun avis"
    )
    return Table(
        "Qualité des interventions",
        ("Indicateur", "Valeur"),
        (
            ("Diagnostic de Cyberaide confirmé par le prestataire", confirmed_text),
            ("Note moyenne donnée par les victimes (avis non refusés par la modération)", rating),
        ),
    )


def month_chart(figures: AnnualFigures) -> str:
    """Journeys per month as an SVG line (the month table carries the same figures), or "" without any."""
    if not figures.journeys:
        return ""
    return charts.line_chart(
        [charts.Point(MONTH_NAMES[month - 1], count) for month, count in figures.journeys_by_month],
        title=f"Parcours terminés par mois en {figures.year}",
        description="Un point par mois ; les chiffres sont repris dans le tableau « Parcours terminés par mois ».",
    )


def as_text(figures: AnnualFigures) -> str:
    """The report as plain French text, for the terminal."""
    lines = [title(figures), period_text(figures), INTERNAL_NOTE, produced_text(figures)]
    for section in sections(figures):
        lines += ["", section.title.upper()]
        for table in section.tables:
            lines.append(f"{table.caption} :")
            lines += [f"  {row[0]} : {', '.join(cell for cell in row[1:] if cell)}" for row in table.rows]
            if not table.rows:
                lines.append("  aucune donnée")
    return "\n".join(lines) + "\n"
