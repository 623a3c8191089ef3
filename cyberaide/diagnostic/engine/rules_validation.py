"""Turn rule data (parsed YAML or JSON) into a :class:`RuleSet` tied to a questionnaire, refusing anything that
would leave a victim without a severity, ask a question in a loop, or offer what does not apply.

Every problem is reported in French, because staff read them in the back office.
"""

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .graph import AUDIENCE_CODES, NOT_FOUND_CHOICE, Choice, Graph, Question
from .rules import (
    COMPLAINTS,
    GROUP_OF,
    GROUPS,
    LEVELS,
    NATURES,
    UNKNOWN_CHOICE,
    UNKNOWN_LABEL,
    Asked,
    Base,
    Condition,
    Rule,
    RuleSet,
    SituationQuestion,
    assess,
)
from .situations import situations
from .validation import AUDIENCE_LABELS, SLUG, InvalidGraph, find_loops, load_graph, with_remaining_lengths

AUDIENCE_KEYS = set(AUDIENCE_CODES) | set(GROUPS)


class AnyCode:
    """A catalogue entry that accepts every code: a published version, checked when it was published, is read
    without today's services and skills, so that one removed since does not break it."""

    def __contains__(self, code) -> bool:
        return True


@dataclass(frozen=True)
class Catalogue:
    """What the rules may name, as the database holds it."""

    incidents: Mapping[str, Collection[str]]  # incident code -> the audiences it concerns
    services: Mapping[str, Collection[str] | None]  # service code -> the only audiences it serves (None: anyone)
    expertise: Collection[str]  # provider skills


def load_questionnaire(graph_data, rules_data, catalogue: Catalogue) -> Graph:
    """The questionnaire with its rules, or :class:`InvalidGraph` with every problem found."""
    return load_rules(rules_data, load_graph(graph_data, catalogue.incidents), catalogue)


def with_rules(graph: Graph, rules: RuleSet) -> Graph:
    return with_remaining_lengths(dataclasses.replace(graph, rules=rules, longest_remaining={}))


def load_rules(data, graph: Graph, catalogue: Catalogue, *, check: bool = True) -> Graph:
    """``graph`` with the rule set attached, or :class:`InvalidGraph`. With ``check`` (drafts), every situation is
    also walked to refuse offers that do not apply; a published version, already checked, skips that walk."""
    parser = _Parser(graph, catalogue)
    rules = parser.parse(data)
    attached = None if parser.problems else with_rules(graph, rules)
    if check and attached is not None:
        parser.check_situations(attached)
    if parser.problems:
        raise InvalidGraph(parser.problems)
    return attached


def audience_names(audiences) -> str:
    return ", ".join(AUDIENCE_LABELS[code] for code in AUDIENCE_CODES if code in audiences)


class _Parser:
    def __init__(self, graph: Graph, catalogue: Catalogue):
        self.graph = graph
        self.catalogue = catalogue
        self.problems: list[str] = []

    def problem(self, text: str) -> None:
        self.problems.append(text)

    # --- Values that may depend on the audience -------------------------------------------------------------

    def per_audience(self, value, where: str, read) -> dict:
        """``value`` for everyone, or a mapping by group (particulier, professionnel) or by audience; ``read``
        checks and converts each value (None when it is refused). Returns audience -> value for those given."""
        if isinstance(value, Mapping):
            unknown = set(map(str, value)) - AUDIENCE_KEYS
            if unknown:
                self.problem(
                    f"{where} : « {', '.join(sorted(unknown))} » n'est ni un public ni un groupe "
                    "(particulier, professionnel, entreprise, association, collectivite)."
                )
            resolved = {}
            for audience in AUDIENCE_CODES:
                if audience in value:
                    resolved[audience] = read(value[audience], where)
                elif GROUP_OF[audience] in value:
                    resolved[audience] = read(value[GROUP_OF[audience]], where)
            return {audience: item for audience, item in resolved.items() if item is not None}
        if value is None:
            return {}
        item = read(value, where)
        return {} if item is None else dict.fromkeys(AUDIENCE_CODES, item)

    def text(self, value, where):
        if isinstance(value, str) and value.strip():
            return value.strip()
        self.problem(f"{where} : le texte est vide ou illisible.")
        return None

    def optional_text(self, value, where):
        if value is None or isinstance(value, str):
            return (value or "").strip()
        self.problem(f"{where} : un texte est attendu.")
        return None

    def one_of(self, allowed, labels):
        def read(value, where):
            if value in allowed:
                return value
            self.problem(f"{where} : « {value} » n'est pas parmi {labels}.")
            return None

        return read

    def codes(self, known, kind):
        def read(value, where):
            if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
                self.problem(f"{where} : une liste de codes est attendue.")
                return None
            items = [str(item) for item in value]
            for item in items:
                if item not in known:
                    self.problem(f"{where} : {kind} « {item} » est inconnu.")
            if len(set(items)) != len(items):
                self.problem(f"{where} : un même code apparaît deux fois.")
            return tuple(dict.fromkeys(item for item in items if item in known))

        return read

    def texts(self, value, where):
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            self.problem(f"{where} : une liste de phrases non vides est attendue.")
            return None
        return tuple(item.strip() for item in value)

    # --- Conditions ------------------------------------------------------------------------------------------

    def choices_of(self, question_id: str) -> set[str] | None:
        if question_id in self.graph.questions:
            return {c.code for c in self.graph.questions[question_id].choices}
        if question_id in self.raw_choices:
            return self.raw_choices[question_id] | {UNKNOWN_CHOICE}
        return None

    def conditions(self, value, where, *, answers_only=False) -> tuple[Condition, ...]:
        raw = value if isinstance(value, list) else [value]
        if not raw or not all(isinstance(item, Mapping) and item for item in raw):
            self.problem(f"{where} : la condition doit être une liste de critères (« question: [réponses] »).")
            return ()
        return tuple(self.condition(item, where, answers_only=answers_only) for item in raw)

    def condition(self, raw: Mapping, where, *, answers_only) -> Condition:
        answers, incidents, audiences = [], None, None
        for key, values in raw.items():
            key = str(key)
            if not isinstance(values, list) or not values:
                self.problem(f"{where} : « {key} » doit être suivi d'une liste non vide.")
                continue
            values = [str(v) for v in values]
            if key in ("incident", "audience"):
                if answers_only:
                    self.problem(f"{where} : « {key} » n'est pas permis ici, seulement des réponses.")
                    continue
                if key == "incident":
                    unknown = [v for v in values if v not in self.catalogue.incidents]
                    if unknown:
                        self.problem(f"{where} : type d'incident inconnu : {', '.join(unknown)}.")
                    incidents = frozenset(values)
                else:
                    expanded = {a for v in values for a in AUDIENCE_CODES if v in (a, GROUP_OF[a])}
                    unknown = [v for v in values if v not in AUDIENCE_KEYS]
                    if unknown:
                        self.problem(f"{where} : public inconnu : {', '.join(unknown)}.")
                    audiences = frozenset(expanded)
                continue
            known = self.choices_of(key)
            if known is None:
                self.problem(f"{where} : la question « {key} » n'existe pas.")
                continue
            unknown = [v for v in values if v not in known]
            if unknown:
                self.problem(f"{where} : la question « {key} » n'a pas de réponse « {', '.join(unknown)} ».")
            answers.append((key, frozenset(values)))
        return Condition(answers=tuple(answers), incidents=incidents, audiences=audiences)

    # --- The three parts -------------------------------------------------------------------------------------

    def parse(self, data) -> RuleSet | None:
        if not isinstance(data, Mapping):
            self.problem("Les règles doivent décrire un objet avec « questions », « incidents » et « rules ».")
            return None
        raw_questions = data.get("questions") or {}
        if not isinstance(raw_questions, Mapping):
            self.problem("« questions » doit associer à chaque identifiant de question sa description.")
            raw_questions = {}
        # Choice codes first: conditions may name any question, in any order.
        self.raw_choices = {
            str(qid): {str(c.get("code")) for c in raw.get("choices") if isinstance(c, Mapping)}
            for qid, raw in raw_questions.items()
            if isinstance(raw, Mapping) and isinstance(raw.get("choices"), list)
        }
        questions = {str(qid): self.question(str(qid), raw) for qid, raw in raw_questions.items()}
        questions = {qid: q for qid, q in questions.items() if q is not None}
        self.check_question_loops(questions)
        incidents = self.incidents(data.get("incidents"), questions)
        rules = self.rules(data.get("rules"))
        rule_set = RuleSet(questions=questions, incidents=incidents, rules=rules)
        self.check_implied(rule_set)
        return rule_set

    def question(self, question_id: str, raw) -> SituationQuestion | None:
        where = f"Question de situation « {question_id} »"
        if not SLUG.match(question_id):
            self.problem(f"{where} : l'identifiant ne doit contenir que des minuscules, chiffres et « _ ».")
        if question_id in self.graph.questions:
            self.problem(f"{where} : une question du questionnaire porte déjà cet identifiant.")
        if not isinstance(raw, Mapping):
            self.problem(f"{where} : la description de la question est illisible.")
            return None
        audiences = raw.get("audiences")
        if audiences is None:
            audiences = list(AUDIENCE_CODES)
        elif (
            not isinstance(audiences, list)
            or not audiences
            or not all(isinstance(code, str) and code in AUDIENCE_CODES for code in audiences)
        ):
            self.problem(f"{where} : « audiences » doit être une liste non vide parmi {', '.join(AUDIENCE_CODES)}.")
            audiences = list(AUDIENCE_CODES)
        texts = self.per_audience(raw.get("text"), f"{where}, texte", self.text)
        helps = self.per_audience(raw.get("help") or "", f"{where}, aide", self.optional_text)
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or len(raw_choices) < 2:
            self.problem(f"{where} : il faut au moins deux réponses (« Je ne sais pas » est ajoutée ensuite).")
            raw_choices = raw_choices if isinstance(raw_choices, list) else []
        labels: dict[str, dict[str, str]] = {}
        technical = set()
        for position, choice in enumerate(raw_choices, start=1):
            at = f"{where}, réponse n° {position}"
            if not isinstance(choice, Mapping):
                self.problem(f"{at} : réponse illisible.")
                continue
            code = str(choice.get("code", ""))
            if not SLUG.match(code):
                self.problem(f"{at} : le code « {code} » ne doit contenir que des minuscules, chiffres et « _ ».")
            if code in (UNKNOWN_CHOICE, NOT_FOUND_CHOICE):
                self.problem(f"{at} : le code « {code} » est réservé (il est ajouté automatiquement).")
            if code in labels:
                self.problem(f"{where} : la réponse « {code} » apparaît deux fois.")
            labels[code] = self.per_audience(choice.get("label"), at, self.text)
            if choice.get("technical"):
                technical.add(code)
        worded = {}
        for audience in audiences:
            if audience not in texts:
                self.problem(f"{where} : pas de texte pour les {AUDIENCE_LABELS[audience]}.")
                continue
            choices = []
            for code, by_audience in labels.items():
                if audience not in by_audience:
                    self.problem(
                        f"{where} : la réponse « {code} » n'a pas d'intitulé pour les {AUDIENCE_LABELS[audience]}."
                    )
                    continue
                choices.append(Choice(code=code, label=by_audience[audience]))
            choices.append(Choice(code=UNKNOWN_CHOICE, label=UNKNOWN_LABEL))
            worded[audience] = Question(
                id=question_id,
                text=texts[audience],
                help=helps.get(audience, ""),
                choices=tuple(choices),
                offers_not_found=False,
            )
        ask_if = ()
        if raw.get("ask_if") is not None:
            ask_if = self.conditions(raw["ask_if"], f"{where}, « ask_if »", answers_only=True)
        return SituationQuestion(id=question_id, worded=worded, ask_if=ask_if, technical=frozenset(technical))

    def check_question_loops(self, questions: Mapping[str, SituationQuestion]) -> None:
        """A question asked only after another, which itself waits for the first, would never be asked."""
        depends = {
            qid: sorted({dep for c in q.ask_if for dep in c.questions if dep in questions})
            for qid, q in questions.items()
        }
        for loop in find_loops(sorted(questions), depends.__getitem__):
            self.problem("Boucle entre les questions de situation : " + " → ".join(loop) + ".")

    def incidents(self, raw_incidents, questions) -> dict[str, dict[str, Base]]:
        if not isinstance(raw_incidents, Mapping):
            self.problem("« incidents » doit associer à chaque type d'incident sa gravité et ce qui est proposé.")
            raw_incidents = {}
        for code in sorted(set(map(str, raw_incidents)) - set(self.catalogue.incidents)):
            self.problem(f"Incident « {code} » : ce type d'incident n'existe pas.")
        result = {}
        for code, concerned in sorted(self.catalogue.incidents.items()):
            raw = raw_incidents.get(code)
            where = f"Incident « {code} »"
            if not isinstance(raw, Mapping):
                self.problem(f"{where} : aucune règle (gravité, services, questions) n'est définie pour ce type.")
                continue
            unknown_keys = set(raw) - {
                "nature",
                "severity",
                "reason",
                "services",
                "providers",
                "complaint",
                "questions",
            }
            if unknown_keys:
                self.problem(f"{where} : champ inconnu : {', '.join(sorted(map(str, unknown_keys)))}.")
            nature = self.per_audience(raw.get("nature"), f"{where}, nature", self.one_of(NATURES, ", ".join(NATURES)))
            level = self.per_audience(raw.get("severity"), f"{where}, gravité", self.one_of(LEVELS, ", ".join(LEVELS)))
            reason = self.per_audience(raw.get("reason"), f"{where}, raison de la gravité", self.text)
            services = self.per_audience(
                raw.get("services"), f"{where}, services", self.codes(self.catalogue.services, "le service")
            )
            expertise = self.per_audience(
                raw.get("providers") or [],
                f"{where}, prestataires",
                self.codes(self.catalogue.expertise, "la compétence"),
            )
            complaint = self.per_audience(
                raw.get("complaint"), f"{where}, plainte", self.one_of(COMPLAINTS, ", ".join(COMPLAINTS))
            )
            asked = self.per_audience(raw.get("questions") or [], f"{where}, questions", self.asked_list)
            bases = {}
            for audience in AUDIENCE_CODES:
                if audience not in concerned:
                    continue
                listed = asked.get(audience, ())
                for entry in listed:
                    if entry.question not in questions:
                        self.problem(f"{where} : la question de situation « {entry.question} » n'existe pas.")
                    elif audience not in questions[entry.question].audiences:
                        self.problem(
                            f"{where} : la question « {entry.question} » ne s'adresse pas aux "
                            f"{AUDIENCE_LABELS[audience]}."
                        )
                self.check_order(where, listed, questions)
                fields = (
                    ("gravité", "severity", level),
                    ("raison de la gravité", "reason", reason),
                    ("nature", "nature", nature),
                    ("services officiels", "services", services),
                    ("conseil de plainte", "complaint", complaint),
                )
                # A value given for everyone but refused has been reported already.
                missing = [
                    label
                    for label, key, values in fields
                    if audience not in values and (raw.get(key) is None or isinstance(raw.get(key), Mapping))
                ]
                if missing:
                    self.problem(f"{where} : pas de {', '.join(missing)} pour les {AUDIENCE_LABELS[audience]}.")
                if any(audience not in values for _, _, values in fields):
                    continue
                bases[audience] = Base(
                    nature=nature[audience],
                    level=level[audience],
                    reason=reason[audience],
                    services=services[audience],
                    expertise=expertise.get(audience, ()),
                    complaint=complaint[audience],
                    questions=tuple(entry for entry in listed if entry.question in questions),
                )
            result[code] = bases
        return result

    def asked_list(self, value, where):
        if not isinstance(value, list):
            self.problem(f"{where} : une liste de questions de situation est attendue.")
            return None
        entries = []
        for item in value:
            if isinstance(item, str):
                entries.append(Asked(question=item))
            elif isinstance(item, Mapping) and isinstance(item.get("question"), str):
                only_if = self.conditions(item["if"], f"{where}, « {item['question']} »") if item.get("if") else ()
                entries.append(Asked(question=item["question"], only_if=only_if))
            else:
                self.problem(f"{where} : « {item} » n'est pas une question de situation.")
        ids = [entry.question for entry in entries]
        if len(set(ids)) != len(ids):
            self.problem(f"{where} : une même question est listée deux fois (elle n'est posée qu'une fois).")
        return tuple(entries)

    def check_order(self, where, listed: tuple[Asked, ...], questions) -> None:
        position = {entry.question: index for index, entry in enumerate(listed)}
        for index, entry in enumerate(listed):
            question = questions.get(entry.question)
            conditions = (question.ask_if if question else ()) + entry.only_if
            for dep in sorted({dep for c in conditions for dep in c.questions}):
                if dep in position and position[dep] > index:
                    self.problem(
                        f"{where} : « {entry.question} » dépend de « {dep} », qui doit donc être posée avant elle."
                    )

    def rules(self, raw_rules) -> tuple[Rule, ...]:
        if raw_rules is None:
            return ()
        if not isinstance(raw_rules, list):
            self.problem("« rules » doit être une liste de règles.")
            return ()
        rules, seen = [], set()
        for position, raw in enumerate(raw_rules, start=1):
            if not isinstance(raw, Mapping):
                self.problem(f"Règle n° {position} : illisible.")
                continue
            rule_id = str(raw.get("id", ""))
            where = f"Règle « {rule_id or position} »"
            if not SLUG.match(rule_id):
                self.problem(f"{where} : l'identifiant ne doit contenir que des minuscules, chiffres et « _ ».")
            if rule_id in seen:
                self.problem(f"{where} : deux règles portent cet identifiant.")
            seen.add(rule_id)
            unknown_keys = set(raw) - {
                "id", "when", "severity", "reason", "services_first", "services", "providers", "complaint", "actions",
            }  # fmt: skip
            if unknown_keys:
                self.problem(f"{where} : champ inconnu : {', '.join(sorted(map(str, unknown_keys)))}.")
            if not raw.get("when"):
                self.problem(f"{where} : « when » (quand elle s'applique) manque.")
                continue
            when = self.conditions(raw["when"], f"{where}, « when »")
            level = raw.get("severity")
            if level is not None and level not in LEVELS:
                self.problem(f"{where} : la gravité « {level} » n'est pas parmi {', '.join(LEVELS)}.")
                level = None
            reason = self.per_audience(raw.get("reason"), f"{where}, raison", self.text)
            if level and set(reason) != set(AUDIENCE_CODES):
                self.problem(
                    f"{where} : une règle qui fixe la gravité doit dire pourquoi (« reason ») à chaque public."
                )
            if reason and not level:
                self.problem(f"{where} : « reason » n'a de sens qu'avec une gravité (« severity »).")
            complaint = raw.get("complaint")
            if complaint is not None and complaint not in COMPLAINTS:
                self.problem(
                    f"{where} : le conseil de plainte « {complaint} » n'est pas parmi {', '.join(COMPLAINTS)}."
                )
                complaint = None
            services = self.codes(self.catalogue.services, "le service")
            rule = Rule(
                id=rule_id,
                when=when,
                level=level,
                reason=reason if level else {},
                services_first=services(raw.get("services_first") or [], f"{where}, services_first") or (),
                services=services(raw.get("services") or [], f"{where}, services") or (),
                expertise=self.codes(self.catalogue.expertise, "la compétence")(
                    raw.get("providers") or [], f"{where}, prestataires"
                )
                or (),
                complaint=complaint,
                actions=self.per_audience(raw.get("actions"), f"{where}, actions", self.texts),
            )
            if not (
                rule.level or rule.services_first or rule.services or rule.expertise or rule.complaint or rule.actions
            ):
                self.problem(f"{where} : elle ne change rien (ni gravité, ni services, ni prestataires, ni actions).")
            rules.append(rule)
        return tuple(rules)

    def check_implied(self, rules: RuleSet) -> None:
        """What a questionnaire's answer implies must be a situation question that its incident asks."""
        for question in self.graph.questions.values():
            for choice in question.choices:
                where = f"Question « {question.id} », réponse « {choice.code} »"
                if choice.implies and not choice.outcome:
                    self.problem(f"{where} : « implies » n'est permis que sur une réponse qui mène à un diagnostic.")
                    continue
                for implied, code in choice.implies:
                    situation = rules.questions.get(implied)
                    if situation is None:
                        self.problem(f"{where} : « implies » nomme la question « {implied} », qui n'existe pas.")
                        continue
                    if code not in {c.code for q in situation.worded.values() for c in q.choices}:
                        self.problem(f"{where} : la question « {implied} » n'a pas de réponse « {code} ».")
                    audiences = [a for a in AUDIENCE_CODES if choice.visible_to(a)]
                    asked = [
                        a
                        for a in audiences
                        if any(
                            e.question == implied
                            for e in (rules.base(choice.outcome, a) or Base("", "", "", (), (), "")).questions
                        )
                    ]
                    if not asked:
                        self.problem(
                            f"{where} : « implies » répond à « {implied} », que le diagnostic « {choice.outcome} » "
                            "ne pose pas."
                        )

    # --- What every situation gets ---------------------------------------------------------------------------

    def check_situations(self, graph: Graph) -> None:
        """Walk every situation: a provider only where something needs a technical intervention, and no service
        offered to an audience it does not serve. Each problem is reported once per incident and audience."""
        restricted = {code: set(a) for code, a in self.catalogue.services.items() if a is not None}
        found: dict[str, None] = {}
        for situation in situations(graph):
            assessment = assess(graph.rules, situation.incident, situation.audience, situation.known)
            base = graph.rules.base(situation.incident, situation.audience)
            label = AUDIENCE_LABELS[situation.audience]
            for service in assessment.services:
                if service in restricted and situation.audience not in restricted[service]:
                    found[
                        f"Le service « {service} » est proposé aux {label} pour « {situation.incident} », alors "
                        f"qu'il ne s'adresse qu'aux {audience_names(restricted[service])}."
                    ] = None
            if assessment.providers and base.nature != "technical" and not situation.technical:
                found[
                    f"Un prestataire est proposé aux {label} pour « {situation.incident} » ({base.nature}) sans "
                    "qu'un appareil, un compte, un site ou un système ne soit touché : un prestataire informatique "
                    "ne peut rien pour une fraude pure."
                ] = None
        self.problems += list(found)
