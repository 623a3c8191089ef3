"""Site search across the prevention pages and the incident types, in French (see search_text)."""

from dataclasses import dataclass
from functools import lru_cache

from cyberaide.diagnostic.models import IncidentType

from .models import AlertPage, ContentPage, visible_now
from .search_text import normalise
from .selectors import sheets_for_incident

MAX_RESULTS = 30
MAX_INCIDENTS = 3
# The full-text index (PostgreSQL or SQLite FTS5) finds the candidates; they are then ranked here, the same way
# on both databases: words of the query found in the title count most, then in the introduction.
CANDIDATES = 200
TITLE_WEIGHT = 10
INTRO_WEIGHT = 4
ALL_WORDS_BONUS = 5


@dataclass(frozen=True)
class IncidentMatch:
    incident: IncidentType
    reflex_sheet: ContentPage | None


@dataclass(frozen=True)
class SearchResults:
    query: str
    pages: list
    incidents: list[IncidentMatch]


@lru_cache(maxsize=8192)
def words_of(text: str) -> frozenset[str]:
    return frozenset(normalise(text).split())


def matching_incidents(terms: set[str]) -> list[IncidentType]:
    scored = []
    for incident in IncidentType.objects.only("code", "name", "summary"):
        name, summary = words_of(incident.name), words_of(incident.summary)
        score = 3 * len(terms & name) + len(terms & summary)
        # Most of the words must be found, so that one common word does not bring every incident type.
        if score and len(terms & (name | summary)) * 2 >= len(terms):
            scored.append((score, incident.name, incident))
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [incident for _, _, incident in scored[:MAX_INCIDENTS]]


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
    terms = set(normalised.split())
    light = ContentPage.objects.only("id", "title", "intro", "content_type_id")
    candidates = list(visible_now(light).search(normalised, operator="or")[:CANDIDATES])
    # Enough to fill a page of results even if some are alerts not active now.
    ranked = [page.pk for page in rank_pages(terms, candidates)][: MAX_RESULTS * 2]
    specific = ContentPage.objects.filter(pk__in=ranked).defer_streamfields().specific().in_bulk()
    # An alert is found only while it is active (a scheduled one stays secret, an ended one is gone).
    pages = [specific[pk] for pk in ranked if not isinstance(specific[pk], AlertPage) or specific[pk].is_active()][
        :MAX_RESULTS
    ]
    incidents = [
        IncidentMatch(incident=incident, reflex_sheet=sheets_for_incident(incident)["reflex_sheet"])
        for incident in matching_incidents(terms)
    ]
    return SearchResults(query=query, pages=pages, incidents=incidents)
