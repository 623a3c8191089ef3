from dataclasses import dataclass, field

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

    def choices_for(self, audience: str) -> tuple[Choice, ...]:
        """The answers this audience sees, the "not found" one last."""
        return tuple(c for c in self.choices if c.visible_to(audience)) + (NOT_FOUND,)

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
    # (audience, question id) -> the largest number of questions still to answer, this one included.
    longest_remaining: dict[tuple[str, str], int] = field(default_factory=dict, compare=False, repr=False)

    def audience(self, code: str) -> Audience | None:
        for audience in self.audiences:
            if audience.code == code:
                return audience
        return None

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
