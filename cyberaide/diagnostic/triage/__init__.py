"""Free-text triage: the incident types a victim's own words most likely describe. Pure Python (no Django): the
site's side (which model is in use, what is stored) lives in :mod:`cyberaide.diagnostic.suggestions`."""

from .classifier import (
    LOW_CONFIDENCE,
    SUGGESTIONS,
    Analysis,
    Classifier,
    Figures,
    Suggestion,
    cross_validate,
    model_key,
    score,
    story_groups,
    train,
)
from .corpus import Example, InvalidCorpus, allowed_by_audience, digest, export, load_shipped, merged, parse
from .text import MAX_CHARS, Checked, Refused, check, normalise, refuse

__all__ = [
    "LOW_CONFIDENCE",
    "MAX_CHARS",
    "SUGGESTIONS",
    "Analysis",
    "Checked",
    "Classifier",
    "Example",
    "Figures",
    "InvalidCorpus",
    "Refused",
    "Suggestion",
    "allowed_by_audience",
    "check",
    "cross_validate",
    "digest",
    "export",
    "load_shipped",
    "merged",
    "model_key",
    "normalise",
    "parse",
    "refuse",
    "score",
    "story_groups",
    "train",
]
