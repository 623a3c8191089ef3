"""Walking through a graph: a journey is an audience and the answers given so far, nothing more. Once an answer
names an incident, the situation questions of the rule set follow, each asked at most once. A journey may also
enter at an incident (from an alert about it): the questionnaire is skipped, its situation questions are asked.

Every function is pure: it takes a state and returns a new one, or raises :class:`DiagnosticError` with a
stable code and a French message. The state is replayed against the graph each time, so a state that no
longer fits the graph (tampered with, or from another version) is detected instead of trusted.
"""

from dataclasses import dataclass, field

from . import rules
from .graph import Choice, Graph, Question


class DiagnosticError(Exception):
    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True)
class State:
    audience: str
    answers: tuple[tuple[str, str], ...] = ()
    incident: str | None = None  # entered at this incident: only its situation questions are answered

    def with_answers(self, answers: tuple[tuple[str, str], ...]) -> "State":
        return State(audience=self.audience, answers=answers, incident=self.incident)


@dataclass(frozen=True)
class QuestionStep:
    question: Question
    choices: tuple[Choice, ...]
    number: int  # 1 for the first question after the audience
    total: int  # the largest number of questions this journey can still have, answered ones included
    previous: str | None  # id of the question answered just before, if any
    incident: str | None = None  # set for a situation question: the incident already recognised

    @property
    def is_situation(self) -> bool:
        return self.incident is not None


@dataclass(frozen=True)
class OutcomeStep:
    incident: str
    # Everything known at the end, as (question, choice) pairs: the questionnaire's answers, what they imply and
    # the answers to the situation questions. The rules read it.
    facts: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def known(self) -> dict[str, str]:
        return dict(self.facts)


@dataclass(frozen=True)
class NotFoundStep:
    """The victim found no answer that fits: they will describe the situation in their own words."""

    question: str


Step = QuestionStep | OutcomeStep | NotFoundStep

INVALID_STATE = "Ce parcours ne correspond plus au diagnostic : recommencez-le."


def start(graph: Graph, audience: str) -> State:
    if graph.audience(audience) is None:
        raise DiagnosticError("unknown_audience", "Ce type de public n'existe pas dans le diagnostic.")
    return State(audience=audience)


def _step(state: State, question: Question, remaining: int, previous: str | None, incident=None) -> QuestionStep:
    """``remaining``: the most questions still to come, this one included."""
    number = len(state.answers) + 1
    return QuestionStep(
        question=question,
        choices=question.choices_for(state.audience),
        number=number,
        total=number + remaining - 1,
        previous=previous,
        incident=incident,
    )


def resolve(graph: Graph, state: State) -> Step:
    """Replay the answers and say where the journey stands: the questionnaire's questions until an incident is
    recognised, then the situation questions that matter for it."""
    audience = graph.audience(state.audience)
    if audience is None:
        raise DiagnosticError("invalid_state", INVALID_STATE)
    question_id, previous = audience.start, None
    incident: str | None = state.incident
    if incident is not None and incident not in graph.outcomes_for(state.audience):
        raise DiagnosticError("invalid_state", INVALID_STATE)
    known: dict[str, str] = {}
    for position, (asked, chosen) in enumerate(state.answers):
        if incident is None:
            question = graph.questions.get(question_id)
            choice = question.choice_for(state.audience, chosen) if question and asked == question_id else None
            if choice is None:
                raise DiagnosticError("invalid_state", INVALID_STATE)
            known[asked] = chosen
            if choice.is_not_found:
                if position != len(state.answers) - 1:
                    raise DiagnosticError("invalid_state", INVALID_STATE)
                return NotFoundStep(question=question_id)
            if choice.outcome:
                incident = choice.outcome
                known.update(choice.implies)
            else:
                question_id = choice.next
            previous = asked
            continue
        pending = rules.next_question(graph.rules, incident, state.audience, known) if graph.rules else None
        if (
            pending is None
            or asked != pending.id
            or pending.for_audience(state.audience).choice_for(state.audience, chosen) is None
        ):
            raise DiagnosticError("invalid_state", INVALID_STATE)
        known[asked] = chosen
        previous = asked
    if incident is None:
        remaining = graph.longest_remaining.get((state.audience, question_id), 1)
        return _step(state, graph.questions[question_id], remaining, previous)
    pending = rules.next_question(graph.rules, incident, state.audience, known) if graph.rules else None
    if pending is None:
        return OutcomeStep(incident=incident, facts=tuple(known.items()))
    remaining = rules.most_questions(graph.rules, incident, state.audience, known)
    return _step(state, pending.for_audience(state.audience), remaining, previous, incident)


def answer(graph: Graph, state: State, question_id: str, choice_code: str) -> State:
    """Answer the question currently asked. Any other question is refused: use :func:`rewind` to change one."""
    step = resolve(graph, state)
    if not isinstance(step, QuestionStep):
        raise DiagnosticError("journey_finished", "Ce diagnostic est terminé : vous pouvez modifier une réponse.")
    if question_id != step.question.id:
        if graph.knows_question(question_id):
            raise DiagnosticError(
                "question_not_current", "Cette question n'est pas celle qui vous est posée en ce moment."
            )
        raise DiagnosticError("unknown_question", "Cette question n'existe pas dans ce diagnostic.")
    if step.question.choice_for(state.audience, choice_code) is None:
        raise DiagnosticError("unknown_choice", "Cette réponse ne fait pas partie des choix proposés.")
    return state.with_answers(state.answers + ((question_id, choice_code),))


def back(graph: Graph, state: State) -> State:
    """Undo the last answer."""
    resolve(graph, state)
    if not state.answers:
        raise DiagnosticError("nothing_to_undo", "Vous êtes déjà à la première question.")
    return state.with_answers(state.answers[:-1])


def rewind(graph: Graph, state: State, question_id: str) -> State:
    """Go back to a question already on the path, forgetting its answer and those after it."""
    step = resolve(graph, state)
    asked = [question for question, _ in state.answers]
    if question_id not in asked:
        if isinstance(step, QuestionStep) and step.question.id == question_id:
            return state
        if graph.knows_question(question_id):
            raise DiagnosticError("question_not_in_path", "Cette question ne fait pas partie de votre parcours.")
        raise DiagnosticError("unknown_question", "Cette question n'existe pas dans ce diagnostic.")
    return state.with_answers(state.answers[: asked.index(question_id)])
