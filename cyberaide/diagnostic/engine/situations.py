"""Every situation a questionnaire with rules can end in: each path of answers to each incident, followed by each
combination of answers to its situation questions. Used to check a rule set before it is published, to show what
a draft changes, and by the tests. Pure Python."""

from collections.abc import Iterator
from dataclasses import dataclass

from .graph import Choice, Graph
from .rules import next_question
from .walk import State


@dataclass(frozen=True)
class Situation:
    audience: str
    incident: str
    answers: tuple[tuple[str, str], ...]  # as the victim gave them: the questionnaire's, then the situation's
    facts: tuple[tuple[str, str], ...]  # everything known: the answers and what the questionnaire's imply
    technical: bool  # one of the answers means a technical intervention is needed
    entered: bool = False  # the journey entered at the incident (from an alert): no questionnaire answer

    @property
    def state(self) -> State:
        """The journey's state, as the walk replays it."""
        return State(self.audience, self.answers, self.incident if self.entered else None)

    @property
    def known(self) -> dict[str, str]:
        return dict(self.facts)

    @property
    def questions_asked(self) -> int:
        return len(self.answers)


def paths(graph: Graph, audience: str) -> Iterator[tuple[tuple[tuple[str, str], ...], Choice, bool]]:
    """Each path of questionnaire answers that ends in an incident, with the choice that names it and whether an
    answer on the way is technical."""
    pending = [(graph.audience(audience).start, (), False)]
    while pending:
        question_id, answers, technical = pending.pop()
        for choice in reversed(graph.questions[question_id].choices):
            if not choice.visible_to(audience):
                continue
            taken = answers + ((question_id, choice.code),)
            if choice.outcome:
                yield taken, choice, technical or choice.technical
            elif choice.next:
                pending.append((choice.next, taken, technical or choice.technical))


def situations(graph: Graph, audience: str | None = None, incident: str | None = None) -> Iterator[Situation]:
    """Every path to every incident, then every combination of its situation answers; and, for each incident,
    every combination of its situation answers alone, as a journey that enters at the incident (from an alert)."""
    for code in [audience] if audience else [a.code for a in graph.audiences]:
        for answers, choice, technical in paths(graph, code):
            if incident is not None and choice.outcome != incident:
                continue
            known = dict(answers) | dict(choice.implies)
            yield from _follow(graph, code, choice.outcome, answers, known, technical)
        for outcome in sorted(graph.outcomes_for(code)):
            if incident is None or outcome == incident:
                yield from _follow(graph, code, outcome, (), {}, False, entered=True)


def _follow(graph, audience, incident, answers, known, technical, entered=False) -> Iterator[Situation]:
    question = next_question(graph.rules, incident, audience, known) if graph.rules else None
    if question is None:
        yield Situation(audience, incident, answers, tuple(known.items()), technical, entered)
        return
    for choice in question.for_audience(audience).choices:
        yield from _follow(
            graph,
            audience,
            incident,
            answers + ((question.id, choice.code),),
            known | {question.id: choice.code},
            technical or choice.code in question.technical,
            entered,
        )


def path_to(graph: Graph, audience: str, incident: str) -> tuple[tuple[str, str], ...] | None:
    """The shortest path of questionnaire answers that leads ``audience`` to ``incident`` (None if there is none)."""
    if graph.audience(audience) is None:
        return None
    pending = [(graph.audience(audience).start, ())]
    seen: set[str] = set()
    while pending:
        question_id, answers = pending.pop(0)
        if question_id in seen:
            continue
        seen.add(question_id)
        for choice in graph.questions[question_id].choices:
            if not choice.visible_to(audience):
                continue
            if choice.outcome == incident:
                return answers + ((question_id, choice.code),)
            if choice.next:
                pending.append((choice.next, answers + ((question_id, choice.code),)))
    return None


def neutral_path(graph: Graph, audience: str, incident: str) -> tuple[tuple[str, str], ...] | None:
    """The shortest path of questionnaire answers to ``incident`` that assumes nothing more than the incident
    itself: no answer on it implies a situation answer or is read by a rule or a condition. A victim who picked
    this incident among the suggestions for their own description continues from there, every situation question
    still to ask; None when every path says more (the journey then enters at the incident)."""
    read = graph.rules.answers_read if graph.rules else frozenset()
    neutral = [
        answers
        for answers, choice, _ in paths(graph, audience)
        if choice.outcome == incident and not choice.implies and not any(pair in read for pair in answers)
    ]
    return min(neutral, key=len) if neutral else None


def suggested_entry(graph: Graph, audience: str, incident: str) -> State:
    """Where a journey continues once the victim picked ``incident`` among the suggestions for their description:
    after the :func:`neutral_path` to it, or at the incident itself (its situation questions) when there is none."""
    path = neutral_path(graph, audience, incident)
    return State(audience=audience, incident=incident) if path is None else State(audience=audience, answers=path)
