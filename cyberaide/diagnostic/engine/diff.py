"""What a draft changes for victims, compared with the published version: for every incident, audience and
situation, the severity, the chat, the providers and the official services before and after. Pure Python.

A situation is identified by what the rules can read of it: the answers to the situation questions (implied ones
included) and to the questionnaire's questions that a rule names. Different paths to the same incident with the
same such answers get the same offers, so they are compared once.
"""

from dataclasses import dataclass

from .graph import Graph
from .rules import Assessment, RuleSet, assess
from .situations import situations


@dataclass(frozen=True)
class Offer:
    level: str
    chat: bool
    expertise: tuple[str, ...]
    services: tuple[str, ...]

    @classmethod
    def of(cls, assessment: Assessment) -> "Offer":
        return cls(assessment.level, assessment.chat, assessment.expertise, assessment.services)


@dataclass(frozen=True)
class Change:
    incident: str
    audience: str
    facts: tuple[tuple[str, str], ...]
    before: Offer | None  # None: this incident did not exist for this audience
    after: Offer | None  # None: it no longer does
    # Whether each version asks what this situation is made of (a question added or removed makes a situation
    # that only one of them can meet; the other answers it as it would without those answers).
    in_before: bool = True
    in_after: bool = True

    @property
    def changed_parts(self) -> tuple[str, ...]:
        if self.before is None or self.after is None:
            return ("level", "chat", "providers", "services")
        parts = []
        if self.before.level != self.after.level:
            parts.append("level")
        if self.before.chat != self.after.chat:
            parts.append("chat")
        if self.before.expertise != self.after.expertise:
            parts.append("providers")
        if self.before.services != self.after.services:
            parts.append("services")
        return tuple(parts)


@dataclass(frozen=True)
class Comparison:
    compared: int  # situations compared
    changes: list[Change]


def _read_questions(rules: RuleSet | None) -> set[str]:
    """Every question a rule set's conditions can read."""
    if rules is None:
        return set()
    found = set(rules.questions)
    conditions = [c for rule in rules.rules for c in rule.when]
    conditions += [c for question in rules.questions.values() for c in question.ask_if]
    conditions += [
        c for bases in rules.incidents.values() for base in bases.values() for a in base.questions for c in a.only_if
    ]
    for condition in conditions:
        found |= condition.questions
    return found


def _offers(graph: Graph, read: set[str]) -> dict[tuple, Offer]:
    found = {}
    for situation in situations(graph):
        facts = tuple(sorted((q, c) for q, c in situation.facts if q in read))
        key = (situation.incident, situation.audience, facts)
        if key not in found:
            found[key] = Offer.of(assess(graph.rules, situation.incident, situation.audience, situation.known))
    return found


def _offer_for(graph: Graph | None, incident: str, audience: str, facts) -> Offer | None:
    """The offer of a version for a situation it does not meet itself: only the answers it would have collected
    count (those of its questionnaire, and of the situation questions it asks for this incident)."""
    if graph is None or graph.rules is None or graph.rules.base(incident, audience) is None:
        return None
    if incident not in graph.outcomes_for(audience):
        return None
    asked = set(graph.questions) | {a.question for a in graph.rules.base(incident, audience).questions}
    return Offer.of(assess(graph.rules, incident, audience, {q: c for q, c in facts if q in asked}))


def compare(published: Graph | None, draft: Graph) -> Comparison:
    """The situations whose offers differ between the published version (None: nothing published) and the draft."""
    read = _read_questions(draft.rules) | _read_questions(published.rules if published else None)
    before = _offers(published, read) if published is not None and published.rules is not None else {}
    after = _offers(draft, read)
    changes = []
    for key in sorted(set(before) | set(after)):
        incident, audience, facts = key
        old = before.get(key) or _offer_for(published, incident, audience, facts)
        new = after.get(key) or _offer_for(draft, incident, audience, facts)
        if old != new:
            changes.append(Change(incident, audience, facts, old, new, key in before, key in after))
    return Comparison(compared=len(set(before) | set(after)), changes=changes)
