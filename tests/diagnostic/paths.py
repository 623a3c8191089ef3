"""Find answers that lead to a given outcome in whatever questionnaire is published."""

from cyberaide.diagnostic import engine


def path_to(graph: engine.Graph, audience: str, incident: str) -> list[tuple[str, str]]:
    """The shortest list of (question, choice) of the questionnaire that leads ``audience`` to ``incident``."""
    path = engine.path_to(graph, audience, incident)
    assert path is not None, f"{incident} is not reachable for {audience}"
    return list(path)


def journey_to(
    graph: engine.Graph, audience: str, incident: str, situation: dict | None = None, path=None
) -> list[tuple[str, str]]:
    """Every answer of a journey to ``incident``: the questionnaire's (``path``, or the shortest), then the
    situation questions, answered from ``situation`` (« je ne sais pas » for those it does not give)."""
    answers = list(path or path_to(graph, audience, incident))
    situation = situation or {}
    while True:
        step = engine.resolve(graph, engine.State(audience, tuple(answers)))
        if not isinstance(step, engine.QuestionStep):
            assert isinstance(step, engine.OutcomeStep) and step.incident == incident, step
            known = dict(step.facts)
            differing = {q: known.get(q) for q, code in situation.items() if known.get(q) != code}
            assert not differing, f"not asked, or implied otherwise, for {incident}: {differing}"
            return answers
        assert step.is_situation, f"the path stopped at {step.question.id}"
        answers.append((step.question.id, situation.get(step.question.id, engine.UNKNOWN_CHOICE)))


def first_question(graph: engine.Graph, audience: str) -> engine.Question:
    return graph.questions[graph.audience(audience).start]


def two_step_path(graph: engine.Graph, audience: str) -> list[tuple[str, str]]:
    """The first path of at least two questions of the questionnaire that ends in an outcome."""
    pending = [(graph.audience(audience).start, [])]
    while pending:
        question_id, answers = pending.pop(0)
        for choice in graph.questions[question_id].choices_for(audience):
            if choice.outcome and answers:
                return answers + [(question_id, choice.code)]
            if choice.next:
                pending.append((choice.next, answers + [(question_id, choice.code)]))
    raise AssertionError(f"no path of two questions or more for {audience}")
