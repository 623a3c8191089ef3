"""Find answers that lead to a given outcome in whatever questionnaire is published."""

from cyberaide.diagnostic import engine


def path_to(graph: engine.Graph, audience: str, incident: str) -> list[tuple[str, str]]:
    """The shortest list of (question, choice) that leads ``audience`` to ``incident``."""
    pending = [(graph.audience(audience).start, [])]
    while pending:
        question_id, answers = pending.pop(0)
        for choice in graph.questions[question_id].choices_for(audience):
            if choice.outcome == incident:
                return answers + [(question_id, choice.code)]
            if choice.next:
                pending.append((choice.next, answers + [(question_id, choice.code)]))
    raise AssertionError(f"{incident} is not reachable for {audience}")


def first_question(graph: engine.Graph, audience: str) -> engine.Question:
    return graph.questions[graph.audience(audience).start]


def two_step_path(graph: engine.Graph, audience: str) -> list[tuple[str, str]]:
    """The first path of at least two questions that ends in an outcome."""
    pending = [(graph.audience(audience).start, [])]
    while pending:
        question_id, answers = pending.pop(0)
        for choice in graph.questions[question_id].choices_for(audience):
            if choice.outcome and answers:
                return answers + [(question_id, choice.code)]
            if choice.next:
                pending.append((choice.next, answers + [(question_id, choice.code)]))
    raise AssertionError(f"no path of two questions or more for {audience}")
