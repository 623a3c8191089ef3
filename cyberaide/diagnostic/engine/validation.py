"""Turn graph data (parsed YAML or JSON) into a :class:`Graph`, refusing anything a victim could get stuck in.

Every problem is reported in French, because staff read them in the back office.
"""

import re
from collections.abc import Collection, Mapping

from .graph import AUDIENCE_CODES, NOT_FOUND_CHOICE, Audience, Choice, Graph, OutOfScope, Question
from .rules import most_questions

SLUG = re.compile(r"^[a-z0-9_]{1,64}$")
AUDIENCE_LABELS = {
    "particulier": "particuliers",
    "entreprise": "entreprises",
    "association": "associations",
    "collectivite": "collectivités",
}


class InvalidGraph(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load_graph(data, incident_audiences: Mapping[str, Collection[str]] | None = None) -> Graph:
    """Build the graph or raise :class:`InvalidGraph` with every problem found.

    ``incident_audiences`` maps each known incident code to the audiences it applies to; when given, outcomes
    must be known incidents and every audience must be able to reach every incident that concerns it.
    """
    graph, problems = _parse(data, incident_audiences)
    if not problems:
        problems = _check_paths(graph, incident_audiences)
    if problems:
        raise InvalidGraph(problems)
    return with_remaining_lengths(graph)


def validate_graph_data(data, incident_audiences: Mapping[str, Collection[str]] | None = None) -> list[str]:
    try:
        load_graph(data, incident_audiences)
    except InvalidGraph as error:
        return error.problems
    return []


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _parse(data, incident_audiences) -> tuple[Graph | None, list[str]]:
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return None, ["Le fichier doit décrire un objet avec « title », « audiences » et « questions »."]
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, Mapping) or not raw_questions:
        return None, ["Le parcours ne contient aucune question (« questions » est vide ou absent)."]

    questions: dict[str, Question] = {}
    for question_id, raw in raw_questions.items():
        question_id = str(question_id)
        where = f"Question « {question_id} »"
        if not SLUG.match(question_id):
            problems.append(f"{where} : l'identifiant ne doit contenir que des minuscules, chiffres et « _ ».")
        if not isinstance(raw, Mapping):
            problems.append(f"{where} : la description de la question est illisible.")
            continue
        if not _text(raw.get("text")):
            problems.append(f"{where} : le texte de la question est vide.")
        raw_choices = raw.get("choices") or []
        if not isinstance(raw_choices, list) or not raw_choices:
            problems.append(f"{where} : aucune réponse possible, la victime serait bloquée (impasse).")
            raw_choices = []
        choices = []
        seen_codes = set()
        for position, raw_choice in enumerate(raw_choices, start=1):
            choice, choice_problems = _parse_choice(raw_choice, f"{where}, réponse n° {position}", incident_audiences)
            problems += choice_problems
            if choice is None:
                continue
            if choice.code in seen_codes:
                problems.append(f"{where} : la réponse « {choice.code} » apparaît deux fois.")
            seen_codes.add(choice.code)
            choices.append(choice)
        questions[question_id] = Question(
            id=question_id, text=_text(raw.get("text")), help=_text(raw.get("help")), choices=tuple(choices)
        )

    for question in questions.values():
        for choice in question.choices:
            if choice.next and choice.next not in questions:
                problems.append(
                    f"Question « {question.id} », réponse « {choice.code} » : elle mène à la question "
                    f"« {choice.next} », qui n'existe pas (impasse)."
                )

    audiences = []
    raw_audiences = data.get("audiences") or []
    if not isinstance(raw_audiences, list):
        raw_audiences = []
    codes = [str(a.get("code")) for a in raw_audiences if isinstance(a, Mapping)]
    if sorted(codes) != sorted(AUDIENCE_CODES):
        problems.append(
            "Les publics doivent être exactement : "
            + ", ".join(AUDIENCE_CODES)
            + f" (trouvé : {', '.join(map(str, codes)) or 'aucun'})."
        )
    for raw in raw_audiences:
        if not isinstance(raw, Mapping):
            continue
        audience = Audience(
            code=str(raw.get("code")),
            label=_text(raw.get("label")),
            hint=_text(raw.get("hint")),
            start=str(raw.get("start")),
        )
        if not audience.label:
            problems.append(f"Public « {audience.code} » : l'intitulé est vide.")
        if audience.start not in questions:
            problems.append(f"Public « {audience.code} » : la première question « {audience.start} » n'existe pas.")
        audiences.append(audience)

    out_of_scope = []
    raw_out_of_scope = data.get("out_of_scope") or []
    if not isinstance(raw_out_of_scope, list):
        problems.append("« out_of_scope » doit être une liste de publics hors périmètre.")
        raw_out_of_scope = []
    for raw in raw_out_of_scope:
        if not isinstance(raw, Mapping) or not all(_text(raw.get(k)) for k in ("code", "label", "service", "message")):
            problems.append("Chaque public hors périmètre doit avoir « code », « label », « service » et « message ».")
            continue
        out_of_scope.append(OutOfScope(**{k: _text(raw[k]) for k in ("code", "label", "service", "message")}))

    graph = Graph(
        title=_text(data.get("title")) or "Parcours victime",
        audiences=tuple(audiences),
        questions=questions,
        out_of_scope=tuple(out_of_scope),
    )
    return graph, problems


def _parse_choice(raw, where, incident_audiences) -> tuple[Choice | None, list[str]]:
    if not isinstance(raw, Mapping):
        return None, [f"{where} : réponse illisible."]
    problems = []
    code = str(raw.get("code", ""))
    if not SLUG.match(code):
        problems.append(f"{where} : le code « {code} » ne doit contenir que des minuscules, chiffres et « _ ».")
    if code == NOT_FOUND_CHOICE:
        problems.append(f"{where} : le code « {NOT_FOUND_CHOICE} » est réservé (il est ajouté automatiquement).")
    if not _text(raw.get("label")):
        problems.append(f"{where} : l'intitulé est vide.")
    next_id, outcome = raw.get("next"), raw.get("outcome")
    for name, value in (("next", next_id), ("outcome", outcome)):
        if value is not None and not isinstance(value, str | int):
            problems.append(f"{where} : « {name} » doit être un identifiant.")
    next_id = str(next_id) if isinstance(next_id, str | int) and next_id != "" else None
    outcome = str(outcome) if isinstance(outcome, str | int) and outcome != "" else None
    if bool(next_id) == bool(outcome):
        problems.append(
            f"{where} : une réponse doit mener soit à une question (« next »), soit à un diagnostic (« outcome »)."
        )
    if outcome and incident_audiences is not None and outcome not in incident_audiences:
        problems.append(f"{where} : le diagnostic « {outcome} » n'est pas un type d'incident connu.")
    audiences = raw.get("audiences")
    if audiences is not None:
        if (
            not isinstance(audiences, list)
            or not audiences
            or not all(isinstance(code, str) and code in AUDIENCE_CODES for code in audiences)
        ):
            problems.append(f"{where} : « audiences » doit être une liste non vide parmi {', '.join(AUDIENCE_CODES)}.")
            audiences = None
        else:
            audiences = frozenset(audiences)
    implies = raw.get("implies") or {}
    if not isinstance(implies, Mapping) or not all(isinstance(v, str) for v in implies.values()):
        problems.append(f"{where} : « implies » doit associer des questions de situation à une réponse.")
        implies = {}
    choice = Choice(
        code=code,
        label=_text(raw.get("label")),
        hint=_text(raw.get("hint")),
        next=str(next_id) if next_id else None,
        outcome=str(outcome) if outcome else None,
        audiences=audiences,
        implies=tuple((str(question), value) for question, value in implies.items()),
        technical=bool(raw.get("technical")),
    )
    return choice, problems


def _check_paths(graph: Graph, incident_audiences) -> list[str]:
    problems = _find_cycles(graph)
    if problems:
        return problems
    reachable_by_anyone: set[str] = set()
    for audience in graph.audiences:
        reachable = _reachable(graph, audience.code)
        reachable_by_anyone |= reachable
        label = AUDIENCE_LABELS[audience.code]
        for question_id in sorted(reachable):
            if not any(c.visible_to(audience.code) for c in graph.questions[question_id].choices):
                problems.append(
                    f"Question « {question_id} » : aucune réponse n'est proposée aux {label}, "
                    "qui y seraient bloqués (impasse)."
                )
        outcomes = graph.outcomes_for(audience.code)
        if not outcomes:
            problems.append(f"Les {label} n'ont aucun chemin vers un diagnostic.")
        if incident_audiences is not None:
            for incident in sorted(outcomes):
                if incident in incident_audiences and audience.code not in incident_audiences[incident]:
                    problems.append(
                        f"Le diagnostic « {incident} » est proposé aux {label}, alors qu'il ne les concerne pas."
                    )
            for incident, concerned in sorted(incident_audiences.items()):
                if audience.code in concerned and incident not in outcomes:
                    problems.append(f"Le diagnostic « {incident} » concerne les {label}, mais aucun chemin n'y mène.")
    for question_id in sorted(set(graph.questions) - reachable_by_anyone):
        problems.append(f"Question « {question_id} » : aucun chemin n'y mène (question inaccessible).")
    return problems


def _reachable(graph: Graph, audience: str) -> set[str]:
    seen: set[str] = set()
    pending = [graph.audience(audience).start]
    while pending:
        question_id = pending.pop()
        if question_id in seen:
            continue
        seen.add(question_id)
        pending += [c.next for c in graph.questions[question_id].choices if c.next and c.visible_to(audience)]
    return seen


def find_loops(nodes, targets_of) -> list[list[str]]:
    """Depth-first search over every edge: each loop found, as the nodes on it, the first one repeated at the end."""
    done: set[str] = set()
    path: list[str] = []  # the nodes on the current branch, in order
    loops: list[list[str]] = []

    def visit(node: str) -> None:
        path.append(node)
        for target in targets_of(node):
            if target in path:
                loops.append(path[path.index(target) :] + [target])
            elif target not in done:
                visit(target)
        path.pop()
        done.add(node)

    for node in nodes:
        if node not in done:
            visit(node)
    return loops


def _find_cycles(graph: Graph) -> list[str]:
    """Every edge counts, whatever the audience: a loop is refused even if no one takes it."""
    loops = find_loops(
        graph.questions, lambda question_id: [c.next for c in graph.questions[question_id].choices if c.next]
    )
    return ["Boucle dans le parcours : " + " → ".join(loop) + "." for loop in loops]


def with_remaining_lengths(graph: Graph) -> Graph:
    """Precompute, per audience, the longest number of questions left from each one (for the progress bar),
    counting the situation questions of the incidents each answer can lead to."""
    lengths: dict[tuple[str, str], int] = {}

    def after(audience: str, choice) -> int:
        if choice.next:
            return longest(audience, choice.next)
        if choice.outcome and graph.rules is not None:
            return most_questions(graph.rules, choice.outcome, audience, dict(choice.implies))
        return 0

    def longest(audience: str, question_id: str) -> int:
        key = (audience, question_id)
        if key not in lengths:
            following = [after(audience, c) for c in graph.questions[question_id].choices if c.visible_to(audience)]
            lengths[key] = 1 + max(following, default=0)
        return lengths[key]

    for audience in graph.audiences:
        for question_id in _reachable(graph, audience.code):
            longest(audience.code, question_id)
    graph.longest_remaining.update(lengths)
    return graph
