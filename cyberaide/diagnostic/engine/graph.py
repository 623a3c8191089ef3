from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import RuleSet

# The stable audience codes that partner sites and the API use.
AUDIENCE_CODES = ("particulier", "entreprise", "association", "collectivite")

# Offered on every question: "none of these answers fits my situation".
NOT_FOUND_CHOICE = "je_ne_trouve_pas"
NOT_FOUND_LABEL = "Je ne trouve pas ma situation dans cette liste"


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    hint: str = ""
    next: str | None = None
    outcome: str | None = None
    audiences: frozenset[str] | None = None
    # What this answer already tells about the situation: (situation question, choice) pairs, not asked again.
    implies: tuple[tuple[str, str], ...] = ()
    # This answer means a device, system, site or account needs a technical intervention.
    technical: bool = False

    def visible_to(self, audience: str) -> bool:
        return self.audiences is None or audience in self.audiences

    @property
    def is_not_found(self) -> bool:
        return self.code == NOT_FOUND_CHOICE


NOT_FOUND = Choice(code=NOT_FOUND_CHOICE, label=NOT_FOUND_LABEL)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    choices: tuple[Choice, ...]
    help: str = ""
    # Questionnaire questions end with "je ne trouve pas"; situation questions carry their "je ne sais pas".
    offers_not_found: bool = True

    def choices_for(self, audience: str) -> tuple[Choice, ...]:
        """The answers this audience sees, the "not found" one last."""
        visible = tuple(c for c in self.choices if c.visible_to(audience))
        return visible + (NOT_FOUND,) if self.offers_not_found else visible

    def choice_for(self, audience: str, code: str) -> Choice | None:
        for choice in self.choices_for(audience):
            if choice.code == code:
                return choice
        return None


@dataclass(frozen=True)
class Audience:
    code: str
    label: str
    start: str
    hint: str = ""


@dataclass(frozen=True)
class OutOfScope:
    """Organisations the platform does not serve, sent elsewhere (operators of vital importance → ANSSI)."""

    code: str
    label: str
    service: str
    message: str


@dataclass(frozen=True)
class Graph:
    title: str
    audiences: tuple[Audience, ...]
    questions: dict[str, Question]
    out_of_scope: tuple[OutOfScope, ...] = ()
    # The situation questions and the rules that say what a result offers; None for a bare questionnaire.
    rules: RuleSet | None = field(default=None, compare=False, repr=False)
    # (audience, question id) -> the largest number of questions still to answer, this one included (situation
    # questions of the incidents it leads to included).
    longest_remaining: dict[tuple[str, str], int] = field(default_factory=dict, compare=False, repr=False)

    def audience(self, code: str) -> Audience | None:
        for audience in self.audiences:
            if audience.code == code:
                return audience
        return None

    def question_for(self, audience: str, question_id: str) -> Question | None:
        """A question of the questionnaire, or a situation question as this audience reads it."""
        if question_id in self.questions:
            return self.questions[question_id]
        situation = self.rules.questions.get(question_id) if self.rules else None
        if situation is None or audience not in situation.worded:
            return None
        return situation.for_audience(audience)

    def knows_question(self, question_id: str) -> bool:
        return question_id in self.questions or bool(self.rules and question_id in self.rules.questions)

    def outcomes_for(self, audience: str) -> set[str]:
        """Every incident code this audience can reach."""
        found: set[str] = set()
        seen: set[str] = set()
        pending = [self.audience(audience).start]
        while pending:
            question_id = pending.pop()
            if question_id in seen:
                continue
            seen.add(question_id)
            for choice in self.questions[question_id].choices:
                if not choice.visible_to(audience):
                    continue
                if choice.outcome:
                    found.add(choice.outcome)
                elif choice.next:
                    pending.append(choice.next)
        return found
