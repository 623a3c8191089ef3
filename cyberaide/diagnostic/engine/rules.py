"""Situation questions and the rules that turn an incident, an audience and the victim's answers into what a
result offers: a severity with its reasons, the official services in order, the provider skills that can help,
the complaint advice and the actions that come first.

Pure Python. A :class:`RuleSet` is built and checked by :mod:`.rules_validation`; here it is only read. Every
value that depends on the audience is resolved for each audience when the rule set is loaded.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .graph import AUDIENCE_CODES, Question

LEVELS = ("low", "medium", "high", "critical")
SERIOUS_LEVEL = "critical"  # the 17Cyber chat is offered from this level
NATURES = ("technical", "fraud", "harm", "nuisance")
COMPLAINTS = ("not_needed", "if_harm", "recommended")

PARTICULIER = "particulier"
PROFESSIONNEL = "professionnel"
GROUPS = (PARTICULIER, PROFESSIONNEL)
GROUP_OF = {code: (PARTICULIER if code == PARTICULIER else PROFESSIONNEL) for code in AUDIENCE_CODES}

# Offered on every situation question.
UNKNOWN_CHOICE = "je_ne_sais_pas"
UNKNOWN_LABEL = "Je ne sais pas"

Answers = Mapping[str, str]  # question id -> choice code: graph answers, implied answers, situation answers


@dataclass(frozen=True)
class Condition:
    """Holds when every part holds: the incident is one of, the audience is one of, and each listed question was
    answered with one of the listed choices (an unanswered question never matches)."""

    answers: tuple[tuple[str, frozenset[str]], ...] = ()
    incidents: frozenset[str] | None = None
    audiences: frozenset[str] | None = None

    def holds(self, incident: str, audience: str, answers: Answers) -> bool:
        if self.incidents is not None and incident not in self.incidents:
            return False
        if self.audiences is not None and audience not in self.audiences:
            return False
        return all(answers.get(question) in codes for question, codes in self.answers)

    def may_hold(self, incident: str, audience: str, answers: Answers) -> bool:
        """Whether it can still hold once the questions not answered yet are: no answer given contradicts it."""
        if self.incidents is not None and incident not in self.incidents:
            return False
        if self.audiences is not None and audience not in self.audiences:
            return False
        return all(question not in answers or answers[question] in codes for question, codes in self.answers)

    @property
    def questions(self) -> frozenset[str]:
        return frozenset(question for question, _ in self.answers)


def any_holds(conditions: tuple[Condition, ...], incident: str, audience: str, answers: Answers) -> bool:
    return any(condition.holds(incident, audience, answers) for condition in conditions)


@dataclass(frozen=True)
class SituationQuestion:
    id: str
    worded: Mapping[str, Question]  # audience -> the question as it reads it, "je ne sais pas" as the last choice
    ask_if: tuple[Condition, ...] = ()  # asked only when one of them holds (none: always)
    technical: frozenset[str] = frozenset()  # choices meaning that a technical intervention is needed

    @property
    def audiences(self) -> frozenset[str]:
        return frozenset(self.worded)

    def for_audience(self, audience: str) -> Question:
        return self.worded[audience]


@dataclass(frozen=True)
class Asked:
    """A situation question an incident asks, possibly only under a further condition."""

    question: str
    only_if: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Base:
    """What an incident offers one audience before anything is known of the situation."""

    nature: str
    level: str
    reason: str
    services: tuple[str, ...]
    expertise: tuple[str, ...]
    complaint: str
    questions: tuple[Asked, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[Condition, ...]
    level: str | None = None
    reason: Mapping[str, str] = field(default_factory=dict)  # audience -> reason (with `level` only)
    services_first: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    expertise: tuple[str, ...] = ()
    complaint: str | None = None
    actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # audience -> actions

    def applies(self, incident: str, audience: str, answers: Answers) -> bool:
        return any_holds(self.when, incident, audience, answers)


@dataclass(frozen=True)
class RuleSet:
    questions: Mapping[str, SituationQuestion]
    incidents: Mapping[str, Mapping[str, Base]]  # incident -> audience -> base
    rules: tuple[Rule, ...]

    def base(self, incident: str, audience: str) -> Base | None:
        return self.incidents.get(incident, {}).get(audience)

    @cached_property
    def answers_read(self) -> frozenset[tuple[str, str]]:
        """Every (question, choice) a condition reads: an answer outside this set changes no offer and no
        question asked."""
        conditions = [condition for rule in self.rules for condition in rule.when]
        conditions += [condition for question in self.questions.values() for condition in question.ask_if]
        conditions += [
            condition
            for bases in self.incidents.values()
            for base in bases.values()
            for asked in base.questions
            for condition in asked.only_if
        ]
        return frozenset(
            (question, code) for condition in conditions for question, codes in condition.answers for code in codes
        )


@dataclass(frozen=True)
class Assessment:
    """What a result offers. ``chat`` and ``providers`` follow from the level and the skills."""

    level: str
    reasons: tuple[str, ...]
    services: tuple[str, ...]
    expertise: tuple[str, ...]
    actions: tuple[str, ...]
    complaint: str
    rules: tuple[str, ...] = ()  # the rules applied, in order
    # Among situations of the same level, which is the most urgent: the position of the first rule that set the
    # level (rules are listed most urgent first); the number of rules when the level is the incident's own.
    priority: int = 0

    @property
    def chat(self) -> bool:
        return self.level == SERIOUS_LEVEL

    @property
    def providers(self) -> bool:
        return bool(self.expertise)

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "reasons": list(self.reasons),
            "services": list(self.services),
            "expertise": list(self.expertise),
            "actions": list(self.actions),
            "complaint": self.complaint,
            "rules": list(self.rules),
            "priority": self.priority,
        }


def higher(first: str, second: str, scale: tuple[str, ...]) -> str:
    return first if scale.index(first) >= scale.index(second) else second


def next_question(rules: RuleSet, incident: str, audience: str, answers: Answers) -> SituationQuestion | None:
    """The first situation question of the incident that is still to ask, given what is known."""
    base = rules.base(incident, audience)
    for asked in base.questions if base else ():
        if asked.question in answers:
            continue
        question = rules.questions[asked.question]
        if asked.only_if and not any_holds(asked.only_if, incident, audience, answers):
            continue
        if question.ask_if and not any_holds(question.ask_if, incident, audience, answers):
            continue
        return question
    return None


def most_questions(rules: RuleSet, incident: str, audience: str, known: Answers) -> int:
    """The most situation questions still to ask, given what is known: those not answered whose conditions the
    answers given so far do not already rule out."""

    def possible(conditions: tuple[Condition, ...]) -> bool:
        return not conditions or any(c.may_hold(incident, audience, known) for c in conditions)

    base = rules.base(incident, audience)
    if base is None:
        return 0
    return sum(
        1
        for asked in base.questions
        if asked.question not in known and possible(asked.only_if) and possible(rules.questions[asked.question].ask_if)
    )


def assess(rules: RuleSet, incident: str, audience: str, answers: Answers) -> Assessment:
    """Apply the incident's base, then every rule that holds, in order."""
    base = rules.base(incident, audience)
    level, complaint = base.level, base.complaint
    reasons: list[tuple[str, str]] = []
    first: list[str] = []
    later: list[str] = []
    expertise = list(base.expertise)
    actions: list[str] = []
    applied: list[str] = []
    for rule in rules.rules:
        if not rule.applies(incident, audience, answers):
            continue
        applied.append(rule.id)
        if rule.level:
            level = higher(level, rule.level, LEVELS)
            reasons.append((rule.level, rule.reason[audience]))
        if rule.complaint:
            complaint = higher(complaint, rule.complaint, COMPLAINTS)
        first += rule.services_first
        later += rule.services
        expertise += rule.expertise
        actions += rule.actions.get(audience, ())
    # The incident's own reason explains the level only when no rule raised it above.
    if level == base.level:
        reasons.append((base.level, base.reason))
    reasons.sort(key=lambda entry: -LEVELS.index(entry[0]))  # stable: the rules' order within a level
    return Assessment(
        level=level,
        reasons=tuple(dict.fromkeys(text for _, text in reasons)),
        services=tuple(dict.fromkeys(first + list(base.services) + later)),
        expertise=tuple(dict.fromkeys(expertise)),
        actions=tuple(dict.fromkeys(actions)),
        complaint=complaint,
        rules=tuple(applied),
        priority=_first_at(rules, applied, level),
    )


def _first_at(rules: RuleSet, applied: list[str], level: str) -> int:
    """The position of the first applied rule that sets ``level`` (the number of rules if none does: the level is
    the incident's own)."""
    for position, rule in enumerate(rules.rules):
        if rule.id in applied and rule.level == level:
            return position
    return len(rules.rules)
