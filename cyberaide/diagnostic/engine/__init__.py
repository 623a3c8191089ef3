"""The diagnostic engine: a questionnaire graph and the walk through it.

Pure Python on purpose (no Django import): it is loaded once per published version, kept in memory and
exercised by property-based tests.
"""

from .graph import AUDIENCE_CODES, NOT_FOUND_CHOICE, Audience, Choice, Graph, OutOfScope, Question
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
    "NOT_FOUND_CHOICE",
    "Audience",
    "Choice",
    "DiagnosticError",
    "Graph",
    "InvalidGraph",
    "NotFoundStep",
    "OutOfScope",
    "OutcomeStep",
    "Question",
    "QuestionStep",
    "State",
    "answer",
    "back",
    "load_graph",
    "resolve",
    "rewind",
    "start",
    "validate_graph_data",
]
