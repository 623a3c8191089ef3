"""The engine alone: pure Python, no database."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cyberaide.diagnostic import engine
from cyberaide.diagnostic.engine import AUDIENCE_CODES, NOT_FOUND_CHOICE

from .graphs import SIMPLE, SIMPLE_INCIDENTS, choice, graph_data, question


@pytest.fixture
def simple():
    return engine.load_graph(SIMPLE, SIMPLE_INCIDENTS)


def test_walk_to_an_outcome(simple):
    state = engine.start(simple, "particulier")
    step = engine.resolve(simple, state)
    assert step.question.id == "q1" and (step.number, step.total) == (1, 2)
    assert [c.code for c in step.choices] == ["a", "b", NOT_FOUND_CHOICE]
    state = engine.answer(simple, state, "q1", "a")
    step = engine.resolve(simple, state)
    assert (step.question.id, step.number, step.total, step.previous) == ("q2", 2, 2, "q1")
    state = engine.answer(simple, state, "q2", "c")
    assert engine.resolve(simple, state) == engine.OutcomeStep(incident="ransomware")


def test_not_found_is_offered_on_every_question(simple):
    state = engine.answer(simple, engine.start(simple, "entreprise"), "q1", NOT_FOUND_CHOICE)
    assert engine.resolve(simple, state) == engine.NotFoundStep(question="q1")


def test_back_and_rewind_forget_later_answers(simple):
    state = engine.answer(simple, engine.start(simple, "particulier"), "q1", "a")
    state = engine.answer(simple, state, "q2", "d")
    assert engine.back(simple, state).answers == (("q1", "a"),)
    assert engine.rewind(simple, state, "q1").answers == ()
    with pytest.raises(engine.DiagnosticError) as error:
        engine.back(simple, engine.start(simple, "particulier"))
    assert error.value.code == "nothing_to_undo"


@pytest.mark.parametrize(
    "answers, question_id, choice_code, code",
    [
        ((), "q2", "c", "question_not_current"),  # a question asked later, out of order
        ((), "nope", "a", "unknown_question"),
        ((), "q1", "zzz", "unknown_choice"),  # a forged choice
        ((("q1", "b"),), "q1", "a", "journey_finished"),  # replay after the end
        ((("q1", "a"),), "q1", "a", "question_not_current"),  # the same answer sent twice
    ],
)
def test_bad_answers_are_refused_with_a_stable_code(simple, answers, question_id, choice_code, code):
    state = engine.State("particulier", answers)
    with pytest.raises(engine.DiagnosticError) as error:
        engine.answer(simple, state, question_id, choice_code)
    assert error.value.code == code
    assert error.value.message  # a French sentence for the victim


def test_a_state_that_does_not_fit_the_graph_is_detected(simple):
    for answers in [(("q2", "c"),), (("q1", "zzz"),), (("q1", "b"), ("q2", "c"))]:
        with pytest.raises(engine.DiagnosticError) as error:
            engine.resolve(simple, engine.State("particulier", answers))
        assert error.value.code == "invalid_state"


def test_choices_are_filtered_by_audience():
    data = graph_data(
        {
            "q1": question(
                choice("site", outcome="defacement", audiences=["entreprise", "association", "collectivite"]),
                choice("mail", outcome="phishing"),
            )
        }
    )
    graph = engine.load_graph(
        data, {"phishing": list(AUDIENCE_CODES), "defacement": ["entreprise", "association", "collectivite"]}
    )
    particulier = engine.resolve(graph, engine.start(graph, "particulier"))
    assert [c.code for c in particulier.choices] == ["mail", NOT_FOUND_CHOICE]
    with pytest.raises(engine.DiagnosticError):
        engine.answer(graph, engine.start(graph, "particulier"), "q1", "site")
    entreprise = engine.answer(graph, engine.start(graph, "entreprise"), "q1", "site")
    assert engine.resolve(graph, entreprise) == engine.OutcomeStep("defacement")


def test_unknown_audience_is_refused(simple):
    with pytest.raises(engine.DiagnosticError) as error:
        engine.start(simple, "oiv")
    assert error.value.code == "unknown_audience"


# --- Property-based: any walk through any valid graph ends in an outcome within a bounded number of steps.


@st.composite
def random_graphs(draw):
    """Random acyclic questionnaires: question i only leads to questions after it, or to outcomes."""
    size = draw(st.integers(min_value=1, max_value=12))
    outcomes = ["phishing", "ransomware", "ceo_fraud"]
    questions = {}
    for index in range(size):
        count = draw(st.integers(min_value=1, max_value=4))
        choices = []
        for position in range(count):
            later = list(range(index + 1, size))
            if later and draw(st.booleans()):
                target = {"next": f"q{draw(st.sampled_from(later))}"}
            else:
                target = {"outcome": draw(st.sampled_from(outcomes))}
            audiences = draw(st.none() | st.lists(st.sampled_from(AUDIENCE_CODES), min_size=1, unique=True))
            choices.append(
                {"code": f"c{position}", "label": "x", **target, **({"audiences": audiences} if audiences else {})}
            )
        questions[f"q{index}"] = {"text": "?", "choices": choices}
    return graph_data(questions, starts={code: "q0" for code in AUDIENCE_CODES})


@settings(max_examples=300, deadline=None)
@given(data=random_graphs(), walk=st.data())
def test_any_random_walk_ends_in_an_outcome(data, walk):
    try:
        graph = engine.load_graph(data)
    except engine.InvalidGraph:
        return  # the validator refused it: it can never be published
    audience = walk.draw(st.sampled_from(AUDIENCE_CODES))
    state = engine.start(graph, audience)
    for _ in range(len(graph.questions)):
        step = engine.resolve(graph, state)
        if isinstance(step, engine.OutcomeStep):
            return
        real_choices = [c for c in step.choices if not c.is_not_found]
        assert real_choices, "a valid graph never leaves an audience without a real answer"
        picked = walk.draw(st.sampled_from(real_choices))
        state = engine.answer(graph, state, step.question.id, picked.code)
    assert isinstance(engine.resolve(graph, state), engine.OutcomeStep)


class JourneyMachine(RuleBasedStateMachine):
    """Answers, backs, rewinds and not-found in any order never corrupt a journey on the default questionnaire."""

    graph = None

    @initialize(audience=st.sampled_from(AUDIENCE_CODES))
    def begin(self, audience):
        self.state = engine.start(self.graph, audience)

    @rule(data=st.data())
    def answer(self, data):
        step = engine.resolve(self.graph, self.state)
        if isinstance(step, engine.QuestionStep):
            picked = data.draw(st.sampled_from(step.choices))
            self.state = engine.answer(self.graph, self.state, step.question.id, picked.code)

    @rule()
    def back(self):
        if self.state.answers:
            self.state = engine.back(self.graph, self.state)

    @rule(data=st.data())
    def rewind(self, data):
        if self.state.answers:
            question_id = data.draw(st.sampled_from([q for q, _ in self.state.answers]))
            before = len(self.state.answers)
            self.state = engine.rewind(self.graph, self.state, question_id)
            assert len(self.state.answers) < before

    @invariant()
    def consistent(self):
        if not hasattr(self, "state"):
            return
        step = engine.resolve(self.graph, self.state)
        if isinstance(step, engine.QuestionStep):
            assert step.number == len(self.state.answers) + 1 <= step.total
            assert len(self.state.answers) < len(self.graph.questions)


def test_journey_state_machine_on_the_default_questionnaire(default_graph):
    JourneyMachine.graph = default_graph
    JourneyMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=20, deadline=None)
    JourneyMachine.TestCase().runTest()


@settings(max_examples=300, deadline=None)
@given(walk=st.data())
def test_every_walk_on_the_default_questionnaire_ends_within_bounds(default_graph, walk):
    audience = walk.draw(st.sampled_from(AUDIENCE_CODES))
    state = engine.start(default_graph, audience)
    asked: set[str] = set()
    for _ in range(7):  # at most three questions to name the incident, three on the situation
        step = engine.resolve(default_graph, state)
        if isinstance(step, engine.OutcomeStep | engine.NotFoundStep):
            return
        assert step.question.id not in asked  # each question is asked at most once
        asked.add(step.question.id)
        assert step.number <= step.total
        picked = walk.draw(st.sampled_from(step.choices))
        state = engine.answer(default_graph, state, step.question.id, picked.code)
    pytest.fail("the journey did not end within six questions")
