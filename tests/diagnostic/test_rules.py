"""The situation questions and the rules, on the shipped questionnaire and on broken rule files: pure Python."""

import copy
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.diagnostic import engine
from cyberaide.diagnostic.engine import AUDIENCE_CODES, LEVELS, UNKNOWN_CHOICE
from cyberaide.diagnostic.engine.rules import NATURES, next_question


def outcome(assessment: engine.Assessment) -> tuple:
    """Everything a victim sees change: severity and reasons, services, providers, first actions, complaint."""
    return (
        assessment.level,
        assessment.reasons,
        assessment.services,
        assessment.expertise,
        assessment.actions,
        assessment.complaint,
    )


@pytest.fixture(scope="module")
def every_situation(default_graph):
    return list(engine.situations(default_graph))


# --- Properties of the shipped rules, over every situation ---------------------------------------------------------


def test_every_incident_and_audience_can_be_reached_and_ends(default_graph, every_situation, incident_audiences):
    reached = {(s.incident, s.audience) for s in every_situation}
    expected = {(code, audience) for code, audiences in incident_audiences.items() for audience in audiences}
    assert reached == expected
    for situation in every_situation:
        step = engine.resolve(default_graph, situation.state)
        assert isinstance(step, engine.OutcomeStep) and step.incident == situation.incident
        questions = [question for question, _ in situation.answers]
        assert len(questions) == len(set(questions))  # each question at most once


def test_every_situation_gets_exactly_one_severity_and_one_set_of_offers(default_graph, every_situation, catalogue):
    restricted = {code: set(a) for code, a in catalogue.services.items() if a}
    for situation in every_situation:
        first = engine.assess(default_graph.rules, situation.incident, situation.audience, situation.known)
        again = engine.assess(default_graph.rules, situation.incident, situation.audience, dict(situation.facts))
        assert first == again  # one answer, whatever the order the facts come in
        assert first.level in LEVELS and first.reasons, situation
        assert first.chat == (first.level == "critical")
        assert first.services and len(set(first.services)) == len(first.services)
        for service in first.services:
            assert situation.audience in restricted.get(service, {situation.audience}), (service, situation)
        base = default_graph.rules.base(situation.incident, situation.audience)
        assert base.nature in NATURES
        if first.providers and base.nature != "technical":
            assert situation.technical, f"a provider for a pure fraud: {situation}"


def test_a_situation_question_is_asked_only_where_its_answer_matters(default_graph, every_situation):
    """Wherever a situation question is asked, at least two of its answers lead to different results."""
    rules = default_graph.rules
    outcomes_after: dict[tuple, set] = defaultdict(set)  # (audience, incident, facts so far, question, choice) -> …
    for situation in every_situation:
        result = outcome(engine.assess(rules, situation.incident, situation.audience, situation.known))
        known = dict(situation.facts)
        situation_answers = [(q, c) for q, c in situation.answers if q in rules.questions]
        graph_facts = tuple((q, c) for q, c in situation.facts if q not in dict(situation_answers))
        for index, (question, choice) in enumerate(situation_answers):
            before = graph_facts + tuple(situation_answers[:index])
            outcomes_after[(situation.audience, situation.incident, before, question)].add((choice, result))
        assert next_question(rules, situation.incident, situation.audience, known) is None
    for (audience, incident, _, question), pairs in outcomes_after.items():
        by_choice = defaultdict(set)
        for choice, result in pairs:
            by_choice[choice].add(result)
        sets = {frozenset(results) for results in by_choice.values()}
        assert len(sets) > 1, f"« {question} » changes nothing for {incident} ({audience})"


def test_situation_questions_offer_i_do_not_know_and_never_not_found(default_graph):
    for question in default_graph.rules.questions.values():
        for audience, worded in question.worded.items():
            codes = [choice.code for choice in worded.choices_for(audience)]
            assert codes[-1] == UNKNOWN_CHOICE and engine.NOT_FOUND_CHOICE not in codes


def test_the_journeys_stay_short(every_situation):
    lengths = sorted(situation.questions_asked for situation in every_situation)
    assert lengths[len(lengths) // 2] <= 5 and lengths[-1] <= 7


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_answers_at_all_still_give_one_result(default_graph, data):
    """Forged or missing facts never break the assessment: the rules read only what they know."""
    rules = default_graph.rules
    incident = data.draw(st.sampled_from(sorted(rules.incidents)))
    audience = data.draw(st.sampled_from(sorted(rules.incidents[incident])))
    codes = st.sampled_from(["sent", "recent", "minor", "in_danger", "stopped", "exposed", UNKNOWN_CHOICE, "forged"])
    answers = data.draw(st.dictionaries(st.sampled_from(sorted(rules.questions) + ["p_identity", "nope"]), codes))
    assessment = engine.assess(rules, incident, audience, answers)
    assert assessment.level in LEVELS and assessment.reasons and assessment.services
    assert LEVELS.index(assessment.level) >= LEVELS.index(rules.base(incident, audience).level)


# --- What the rules decide, on a few paths named in the issue -------------------------------------------------------


def assessment_for(graph, audience, path, situation):
    answers = list(path)
    while True:
        step = engine.resolve(graph, engine.State(audience, tuple(answers)))
        if isinstance(step, engine.OutcomeStep):
            return step, engine.assess(graph.rules, step.incident, audience, step.known)
        answers.append((step.question.id, situation[step.question.id]))


def test_money_that_left_recently_puts_the_bank_first_and_offers_the_chat(default_graph):
    path = [("p_affected", "money"), ("p_money", "bank_adviser")]
    step, result = assessment_for(
        default_graph, "particulier", path, {"s_money_when": "recent", "s_device": "untouched"}
    )
    assert step.known["s_money"] == "sent"  # implied by the answer, not asked again
    assert result.level == "critical" and result.chat and not result.providers
    assert result.services[0] == "bank" and "moins de 48 heures" in result.reasons[0]
    assert result.actions[0].startswith("Appelez votre banque maintenant")


def test_the_same_call_without_loss_is_not_serious(default_graph):
    path = [("p_affected", "message"), ("p_message_channel", "call"), ("p_call", "bank_adviser")]
    _, result = assessment_for(default_graph, "particulier", path, {"s_money": "none", "s_device": "untouched"})
    assert result.level == "low" and not result.chat and not result.providers


def test_a_company_stopped_by_ransomware(default_graph):
    path = [("pro_affected", "systems"), ("pro_systems", "ransom")]
    situation = {"s_activity": "stopped", "s_others_data": "not_exposed"}
    _, result = assessment_for(default_graph, "entreprise", path, situation)
    assert result.chat and result.providers and "csirt" in result.services and "insurer" in result.services
    assert "thesee" not in result.services and "anssi" not in result.services


def test_an_individual_with_ransomware_gets_thesee_and_no_organisation_services(default_graph):
    _, result = assessment_for(default_graph, "particulier", [("p_affected", "device"), ("p_device", "ransom")], {})
    assert "thesee" in result.services
    assert not {"csirt", "cnil_notification", "insurer", "anssi"} & set(result.services)


# --- Broken rule files: clear errors ------------------------------------------------------------------------------


@pytest.fixture
def rules_data(shipped):
    return copy.deepcopy(shipped[1])


def problems_of(shipped, rules, catalogue, graph_data=None):
    try:
        engine.load_questionnaire(graph_data or shipped[0], rules, catalogue)
    except engine.InvalidGraph as error:
        return error.problems
    return []


def test_the_shipped_rules_are_valid(shipped, catalogue):
    assert problems_of(shipped, shipped[1], catalogue) == []


def test_a_loop_between_situation_questions_is_refused(shipped, rules_data, catalogue):
    rules_data["questions"]["s_money"]["ask_if"] = {"s_money_when": ["recent"]}
    problems = problems_of(shipped, rules_data, catalogue)
    assert any("Boucle entre les questions de situation : s_money → s_money_when → s_money." in p for p in problems)


def test_an_unknown_service_is_refused(shipped, rules_data, catalogue):
    rules_data["incidents"]["phishing"]["services"]["particulier"].append("service_imaginaire")
    assert any(
        "le service « service_imaginaire » est inconnu" in p for p in problems_of(shipped, rules_data, catalogue)
    )


def test_an_incident_without_a_severity_is_refused(shipped, rules_data, catalogue):
    del rules_data["incidents"]["ceo_fraud"]["severity"]
    problems = problems_of(shipped, rules_data, catalogue)
    assert "Incident « ceo_fraud » : pas de gravité pour les entreprises." in problems
    rules_data["incidents"]["data_breach"]["severity"] = {"particulier": "low"}
    problems = problems_of(shipped, rules_data, catalogue)
    assert "Incident « data_breach » : pas de gravité pour les collectivités." in problems


def test_an_incident_without_any_rule_is_refused(shipped, rules_data, catalogue):
    del rules_data["incidents"]["sim_swap"]
    assert "Incident « sim_swap » : aucune règle (gravité, services, questions) n'est définie pour ce type." in (
        problems_of(shipped, rules_data, catalogue)
    )


def test_providers_for_a_pure_fraud_are_refused(shipped, rules_data, catalogue):
    rules_data["incidents"]["fake_rental"]["providers"] = ["postes_serveurs"]
    problems = problems_of(shipped, rules_data, catalogue)
    assert any("Un prestataire est proposé aux particuliers pour « fake_rental »" in p for p in problems)
    # A rule that adds providers whenever money was lost, device or not, is refused just the same.
    rules = copy.deepcopy(rules_data)
    del rules["incidents"]["fake_rental"]["providers"]
    rules["rules"].append({"id": "bad", "when": {"s_money": ["sent"]}, "providers": ["comptes_messageries"]})
    assert any("prestataire" in p and "fraude pure" in p for p in problems_of(shipped, rules, catalogue))


def test_thesee_or_perceval_for_an_organisation_is_refused(shipped, rules_data, catalogue):
    rules_data["incidents"]["ceo_fraud"]["services"] = ["bank", "thesee"]
    problems = problems_of(shipped, rules_data, catalogue)
    assert any("« thesee » est proposé aux entreprises pour « ceo_fraud »" in p for p in problems)
    rules = copy.deepcopy(rules_data)
    rules["incidents"]["ceo_fraud"]["services"] = ["bank"]
    rules["rules"].append({"id": "card", "when": {"s_money": ["sent"]}, "services": ["perceval"]})
    assert any("« perceval » est proposé aux associations" in p for p in problems_of(shipped, rules, catalogue))


def test_other_mistakes_are_named(shipped, rules_data, catalogue):
    rules = rules_data
    rules["rules"].append({"id": "no_reason", "when": {"s_money": ["sent"]}, "severity": "critical"})
    rules["rules"].append({"id": "bad_answer", "when": {"s_money": ["beaucoup"]}, "actions": ["x"]})
    rules["rules"].append({"id": "bad_question", "when": {"s_nope": ["x"]}, "actions": ["x"]})
    rules["rules"].append({"id": "idle", "when": {"s_money": ["sent"]}})
    rules["incidents"]["phishing"]["questions"] = ["s_money_when", "s_money"]
    rules["incidents"]["phishing"]["severity"] = "grave"
    rules["questions"]["s_minor"]["choices"] = [{"code": "minor", "label": "Oui"}]
    problems = problems_of(shipped, rules, catalogue)
    expected = [
        "Règle « no_reason » : une règle qui fixe la gravité doit dire pourquoi (« reason ») à chaque public.",
        "Règle « bad_answer », « when » : la question « s_money » n'a pas de réponse « beaucoup ».",
        "Règle « bad_question », « when » : la question « s_nope » n'existe pas.",
        "Règle « idle » : elle ne change rien (ni gravité, ni services, ni prestataires, ni actions).",
        "Incident « phishing » : « s_money_when » dépend de « s_money », qui doit donc être posée avant elle.",
        "Incident « phishing », gravité : « grave » n'est pas parmi low, medium, high, critical.",
        "Question de situation « s_minor » : il faut au moins deux réponses (« Je ne sais pas » est ajoutée ensuite).",
    ]
    for text in expected:
        assert text in problems


def test_what_a_questionnaire_answer_implies_is_checked(shipped, rules_data, catalogue):
    graph = copy.deepcopy(shipped[0])
    choice = graph["questions"]["p_money"]["choices"][1]
    assert choice["outcome"] == "fake_bank_adviser"
    choice["implies"] = {"s_minor": "minor"}
    problems = problems_of(shipped, rules_data, catalogue, graph_data=graph)
    assert any(
        "« implies » répond à « s_minor », que le diagnostic « fake_bank_adviser » ne pose pas" in p for p in problems
    )


def test_unreadable_rules_are_refused(shipped, catalogue):
    for data in (None, [], "texte", {"questions": "x", "incidents": [], "rules": {}}):
        assert problems_of(shipped, data, catalogue)


# --- What a draft changes ----------------------------------------------------------------------------------------


def test_comparing_a_version_with_itself_finds_nothing(default_graph):
    comparison = engine.compare(default_graph, default_graph)
    assert comparison.compared > 500 and comparison.changes == []


def test_comparing_shows_each_situation_whose_offers_change(shipped, rules_data, catalogue, default_graph):
    rules_data["incidents"]["fake_charity"]["severity"] = "medium"  # was low
    rules_data["incidents"]["email_spam"]["services"]["professionnel"].append("csirt")
    draft = engine.load_questionnaire(shipped[0], rules_data, catalogue)
    changes = engine.compare(default_graph, draft).changes
    charity = [c for c in changes if c.incident == "fake_charity"]
    assert charity and all(c.before.level == "low" and c.after.level == "medium" for c in charity)
    assert all(c.changed_parts == ("level",) for c in charity)
    spam = {c.audience for c in changes if c.incident == "email_spam"}
    assert spam == {"entreprise", "association", "collectivite"}
    assert {c.incident for c in changes} == {"fake_charity", "email_spam"}


def test_comparing_with_nothing_published_lists_every_situation(default_graph):
    comparison = engine.compare(None, default_graph)
    assert comparison.changes and all(change.before is None for change in comparison.changes)
    assert {(c.incident, c.audience) for c in comparison.changes} == {
        (code, audience) for code, by_audience in default_graph.rules.incidents.items() for audience in by_audience
    }


def test_graph_only_questionnaires_still_walk_without_rules(incident_audiences):
    from .graphs import SIMPLE, SIMPLE_INCIDENTS

    graph = engine.load_graph(SIMPLE, SIMPLE_INCIDENTS)
    state = engine.answer(graph, engine.start(graph, "particulier"), "q1", "b")
    assert engine.resolve(graph, state) == engine.OutcomeStep(incident="phishing")
    assert set(AUDIENCE_CODES) == {a.code for a in graph.audiences}


def mutated(data, draw):
    """``data`` with one node, anywhere, replaced by a value of another shape."""
    data = copy.deepcopy(data)
    node, path = data, []
    while isinstance(node, dict | list) and node and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        path.append((node, key))
        node = node[key]
    junk = draw(
        st.one_of(
            st.none(),
            st.integers(-3, 3),
            st.text(max_size=5),
            st.lists(st.one_of(st.integers(), st.text(max_size=3), st.lists(st.integers(), max_size=2)), max_size=3),
            st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=3)), max_size=3),
        )
    )
    if not path:
        return junk
    parent, key = path[-1]
    parent[key] = junk
    return data


@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_a_malformed_rule_file_is_always_a_clear_refusal(shipped, catalogue, data):
    """Whatever a staff member types in the rules' YAML, the answer is a list of problems, never a crash."""
    broken = mutated(shipped[1], data.draw)
    try:
        engine.load_questionnaire(shipped[0], broken, catalogue)
    except engine.InvalidGraph as error:
        assert error.problems and all(isinstance(problem, str) for problem in error.problems)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_malformed_result_texts_are_always_a_clear_refusal(shipped, incident_audiences, data):
    broken = mutated(shipped[2], data.draw)
    try:
        engine.load_advice(broken, incident_audiences)
    except engine.InvalidGraph as error:
        assert error.problems


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_malformed_questionnaire_is_always_a_clear_refusal(shipped, catalogue, data):
    broken = mutated(shipped[0], data.draw)
    try:
        engine.load_questionnaire(broken, shipped[1], catalogue)
    except engine.InvalidGraph as error:
        assert error.problems


def test_a_question_removed_or_added_shows_in_the_comparison(shipped, rules_data, catalogue, default_graph):
    """A version is compared on the answers it collects itself: another version's questions do not count for it."""
    removed = copy.deepcopy(rules_data)
    removed["incidents"]["fake_shop"]["questions"] = []  # paying victims would no longer be asked, nor helped
    changes = engine.compare(default_graph, engine.load_questionnaire(shipped[0], removed, catalogue)).changes
    lost = [c for c in changes if c.incident == "fake_shop"]
    assert lost and any(c.before.level == "critical" and c.after.level == "medium" for c in lost)
    assert all(c.in_before and not c.in_after for c in lost)
    added = copy.deepcopy(rules_data)
    added["incidents"]["phishing"]["questions"].append("s_danger")
    changes = engine.compare(default_graph, engine.load_questionnaire(shipped[0], added, catalogue)).changes
    gained = [c for c in changes if dict(c.facts).get("s_danger") == "in_danger"]
    assert gained and all(c.after.chat and not c.in_before and c.in_after for c in gained)


def test_the_progress_counts_only_questions_that_can_still_come(default_graph):
    charity = (("p_affected", "money"), ("p_money", "tricked"), ("p_money_tricked", "charity"))
    state = engine.State("particulier", charity)
    step = engine.resolve(default_graph, state)
    assert step.question.id == "s_money" and step.total == step.number + 1  # « when » may follow
    state = engine.answer(default_graph, state, "s_money", "none")
    assert isinstance(engine.resolve(default_graph, state), engine.OutcomeStep)  # nothing more: it said no more


def test_a_journey_entering_at_an_incident_asks_only_its_situation(default_graph):
    state = engine.State("particulier", incident="fake_bank_adviser")
    step = engine.resolve(default_graph, state)
    assert step.question.id == "s_money" and step.number == 1 and step.previous is None  # nothing assumed
    state = engine.answer(default_graph, state, "s_money", "none")
    state = engine.answer(default_graph, state, "s_device", "untouched")
    outcome = engine.resolve(default_graph, state)
    assert outcome.incident == "fake_bank_adviser" and outcome.known == {"s_money": "none", "s_device": "untouched"}
    assert engine.back(default_graph, state).incident == "fake_bank_adviser"
    for forged in (engine.State("particulier", incident="ceo_fraud"), engine.State("entreprise", incident="nope")):
        with pytest.raises(engine.DiagnosticError) as error:
            engine.resolve(default_graph, forged)  # ceo_fraud does not concern individuals
        assert error.value.code == "invalid_state"
    with pytest.raises(engine.DiagnosticError):  # a questionnaire answer has no place in such a journey
        engine.resolve(default_graph, engine.State("particulier", (("p_affected", "money"),), "fake_bank_adviser"))
