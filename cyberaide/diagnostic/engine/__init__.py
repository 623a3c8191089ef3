"""The diagnostic engine: a questionnaire graph, the walk through it, the situation questions and the rules that
say what a result offers, and the result texts.

Pure Python on purpose (no Django import): it is loaded once per published version, kept in memory and
exercised by property-based tests.
"""

from .advice import Advice, groups_of, load_advice
from .diff import Change, Comparison, Offer, compare
from .graph import AUDIENCE_CODES, NOT_FOUND_CHOICE, Audience, Choice, Graph, OutOfScope, Question
from .rules import (
    GROUP_OF,
    LEVELS,
    SERIOUS_LEVEL,
    UNKNOWN_CHOICE,
    Assessment,
    RuleSet,
    SituationQuestion,
    assess,
    next_question,
)
from .rules_validation import AnyCode, Catalogue, load_questionnaire, load_rules, with_rules
from .situations import Situation, neutral_path, path_to, situations, suggested_entry
from .validation import InvalidGraph, load_graph, validate_graph_data
from .walk import (
    DiagnosticError,
    NotFoundStep,
    OutcomeStep,
    QuestionStep,
    State,
    answer,
    back,
    resolve,
    rewind,
    start,
)

__all__ = [
    "AUDIENCE_CODES",
    "GROUP_OF",
    "LEVELS",
    "NOT_FOUND_CHOICE",
    "SERIOUS_LEVEL",
    "UNKNOWN_CHOICE",
    "Advice",
    "AnyCode",
    "Assessment",
    "Audience",
    "Catalogue",
    "Change",
    "Choice",
    "Comparison",
    "DiagnosticError",
    "Graph",
    "InvalidGraph",
    "NotFoundStep",
    "Offer",
    "OutOfScope",
    "OutcomeStep",
    "Question",
    "QuestionStep",
    "RuleSet",
    "Situation",
    "SituationQuestion",
    "State",
    "answer",
    "assess",
    "back",
    "compare",
    "groups_of",
    "load_advice",
    "load_graph",
    "load_questionnaire",
    "load_rules",
    "neutral_path",
    "next_question",
    "path_to",
    "resolve",
    "rewind",
    "situations",
    "start",
    "suggested_entry",
    "validate_graph_data",
    "with_rules",
]
