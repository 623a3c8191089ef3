"""Site search across the prevention pages and the incident types, in French (see search_text)."""

import math
from dataclasses import dataclass
from functools import lru_cache

from cyberaide.diagnostic import suggestions
from cyberaide.diagnostic.graphs import incident_summaries
from cyberaide.diagnostic.models import IncidentType

from .models import AlertPage, ContentPage, ReflexSheetPage, visible_now
from .search_text import normalise
from .selectors import reflex_sheet_for

MAX_RESULTS = 30
MAX_INCIDENTS = 3
NAME_WEIGHT = 3  # a word of the query found in an incident's name counts three times one found in its summary
KEPT_SHARE = 0.8  # incident types scoring less than this share of the first are not suggested
# The full-text index (PostgreSQL or SQLite FTS5) finds the candidates; they are then ranked here, the same way
# on both databases: words of the query found in the title count most, then in the introduction.
CANDIDATES = 200
# A pasted message is searched by its first distinct words; the triage reads it whole.
MAX_TERMS = 40
# From this many words a query reads as a description or a message, and the triage suggests its situations; a few
# keywords ("mot de passe volé") are matched against the incident types' names and the fiches réflexes.
DESCRIBED_WORDS = 6
TITLE_WEIGHT = 10
INTRO_WEIGHT = 4
ALL_WORDS_BONUS = 5


@dataclass(frozen=True)
class IncidentMatch:
    incident: IncidentType
    reflex_sheet: ContentPage | None
    confidence_label: str = ""  # how sure the triage is, when it suggested this situation


@dataclass(frozen=True)
class SearchResults:
    query: str
    pages: list
    incidents: list[IncidentMatch]


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split())


def matching_incidents(terms: set[str]) -> list[IncidentType]:
    """The incident types that contain the most of the query's words (at least half of them), best first.

    Only those reaching the best count are kept, then ranked by where the words appear (the name counts three
    times the summary) and by how rare each word is among the incident types: a common word such as "arnaque" does
    not bring every scam along with the one the query is about. Those far behind the first are dropped."""
    summaries = incident_summaries()
    incidents = [
        (incident, words_of(incident.name), words_of(summaries.get(incident.code, "")))
        for incident in IncidentType.objects.only("code", "name")
    ]
    rarity = {
        term: math.log((1 + len(incidents)) / (1 + sum(term in name | summary for _, name, summary in incidents)))
        for term in terms
    }
    scored = []
    for incident, name, summary in incidents:
        found = len(terms & (name | summary))
        if found and found * 2 >= len(terms):
            weight = sum(rarity[t] * (NAME_WEIGHT if t in name else 1) for t in terms & (name | summary))
            scored.append((found, weight, incident.name, incident))
    if not scored:
        return []
    best = max(entry[0] for entry in scored)
    scored = [entry for entry in scored if entry[0] == best]
    scored.sort(key=lambda entry: (-entry[1], entry[2]))
    top = scored[0][1]
    return [entry[3] for entry in scored[:MAX_INCIDENTS] if entry[1] >= KEPT_SHARE * top]


def rank_pages(terms: set[str], candidates: list) -> list:
    """Order the candidates (given in the index's order of relevance) by where the query's words appear."""

    def score(position_and_page):
        position, page = position_and_page
        title = terms & words_of(page.title)
        intro = terms & words_of(page.intro)
        found_everywhere = ALL_WORDS_BONUS if title | intro == terms else 0
        return (-(TITLE_WEIGHT * len(title) + INTRO_WEIGHT * len(intro) + found_everywhere), position)

    return [page for _, page in sorted(enumerate(candidates), key=score)]


def search(query: str) -> SearchResults:
    query = (query or "").strip()
    normalised = normalise(query)
    if not normalised:
        return SearchResults(query=query, pages=[], incidents=[])
    terms = set(list(dict.fromkeys(normalised.split()))[:MAX_TERMS])
    light = ContentPage.objects.only("id", "title", "intro", "content_type_id")
    candidates = list(visible_now(light).search(" ".join(sorted(terms)), operator="or")[:CANDIDATES])
    # Enough to fill a page of results even if some are alerts not active now.
    ranked = [page.pk for page in rank_pages(terms, candidates)][: MAX_RESULTS * 2]
    specific = ContentPage.objects.filter(pk__in=ranked).defer_streamfields().specific().in_bulk()
    # An alert is found only while it is active (a scheduled one stays secret, an ended one is gone).
    pages = [specific[pk] for pk in ranked if not isinstance(specific[pk], AlertPage) or specific[pk].is_active()][
        :MAX_RESULTS
    ]
    return SearchResults(query=query, pages=pages, incidents=triaged(query) or incident_matches(terms, pages))


def triaged(query: str) -> list[IncidentMatch]:
    """The situations the triage recognises in a description or a pasted message, when it is fairly sure; a few
    keywords (most searches) are left to :func:`incident_matches`."""
    if len(query.split()) < DESCRIBED_WORDS:
        return []
    found = suggestions.analyse(query)
    if found.refused or found.low_confidence:
        return []
    return [
        IncidentMatch(offer.incident, reflex_sheet_for(offer.incident), offer.confidence_label)
        for offer in found.offers
        if offer.confidence >= suggestions.SHOWN_IN_SEARCH
    ]


def incident_matches(terms: set[str], pages: list) -> list[IncidentMatch]:
    """The incident types of the best-ranked fiches réflexes first (their text is richer than the taxonomy's),
    then those whose own name and summary match."""
    matches = {}
    # Only the first results: a sheet further down says little about what the query is about.
    for page in pages[:3]:
        if isinstance(page, ReflexSheetPage):
            for incident in page.incident_types.all()[:1]:
                matches.setdefault(incident.pk, IncidentMatch(incident=incident, reflex_sheet=page))
    for incident in matching_incidents(terms):
        if len(matches) < MAX_INCIDENTS and incident.pk not in matches:
            matches[incident.pk] = IncidentMatch(incident=incident, reflex_sheet=reflex_sheet_for(incident))
    return list(matches.values())
