"""Which incident types a victim's own words most likely describe: a linear model (logistic regression fitted by
stochastic gradient descent, one incident type against the others, whose probabilities are read as how sure it
is) over word and character n-grams of the normalised text. Character n-grams carry spelling mistakes, missing
accents and SMS style; words carry the story.

Pure Python over scikit-learn: trained in a few seconds from the corpus, the same corpus giving the same model,
nothing downloaded. Evaluation holds near-copies of a description on the same side of each split.
"""

import hashlib
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import FeatureUnion, make_pipeline

from .corpus import Example, digest
from .text import normalise

SUGGESTIONS = 3
# A long paste is read up to here: what happened comes first in a message, and the time per text stays bounded.
ANALYSED_CHARS = 2_500
# The one-against-the-others probabilities, once normalised, are too modest: raised to this power (then normalised
# again) they say how often the first suggestion is right. Fitted on the corpus's cross-validation (the log loss
# of the right type is lowest there); docs/benchmarks.md shows the confidence said against the share right.
SHARPNESS = 1.7
# Below this, the first suggestion is shown as a possibility only and the questions are put forward.
LOW_CONFIDENCE = 0.35
# A text whose words are mostly unknown to the corpus is not French, or not about cyber-malice.
MIN_KNOWN_SHARE = 0.5
NEAR_COPY = 0.8  # cosine similarity of character n-grams above which two descriptions count as one story
# Chosen by cross-validation on the corpus (docs/benchmarks.md): as accurate as a full logistic regression, in half
# the training time and half the memory.
CHAR_FEATURES = 40_000
ALPHA = 1e-5
EPOCHS = 30
SEED = 0
# Changes whenever the features or the model do, so that a model trained by an earlier release is not reused.
MODEL_VERSION = f"sgd-logloss-{CHAR_FEATURES}-{ALPHA}-{EPOCHS}-{SEED}-1"
WORD = r"\b\w+\b"  # one-letter words too: "g" (j'ai), "c" (c'est) in SMS style


@dataclass(frozen=True)
class Suggestion:
    incident: str
    confidence: float  # 0 to 1, among the incident types the audience can meet


@dataclass(frozen=True)
class Analysis:
    suggestions: tuple[Suggestion, ...]
    understood: bool = True  # False: another language, or nothing the corpus knows

    @property
    def low_confidence(self) -> bool:
        return not self.understood or not self.suggestions or self.suggestions[0].confidence < LOW_CONFIDENCE


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, token_pattern=WORD)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, max_features=CHAR_FEATURES
                ),
            ),
        ]
    )


def _pipeline():
    model = SGDClassifier(loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=SEED)
    return make_pipeline(_features(), model)


class Classifier:
    def __init__(self, examples: Sequence[Example]):
        texts = [normalise(example.text) for example in examples]
        self.pipeline = _pipeline().fit(texts, [example.incident for example in examples])
        self.classes: tuple[str, ...] = tuple(str(code) for code in self.pipeline.classes_)
        words = self.pipeline.steps[0][1].transformer_list[0][1]
        self.known_words = frozenset(term for term in words.vocabulary_ if " " not in term)
        self.size = len(examples)

    def probabilities(self, normalised: Sequence[str]) -> np.ndarray:
        return self.pipeline.predict_proba(list(normalised))

    def understands(self, normalised: str) -> bool:
        words = [word for word in normalised.split() if len(word) > 1 and not word.isdigit()]
        return bool(words) and sum(word in self.known_words for word in words) >= MIN_KNOWN_SHARE * len(words)

    def analyse(self, text: str, allowed: Collection[str] | None = None, k: int = SUGGESTIONS) -> Analysis:
        """The ``k`` most likely incident types among ``allowed`` (all when None), for a scrubbed text."""
        normalised = normalise(text[:ANALYSED_CHARS])
        if not self.understands(normalised):
            return Analysis(suggestions=(), understood=False)
        return Analysis(suggestions=self.rank(self.probabilities([normalised])[0], allowed)[:k])

    def rank(self, probabilities: np.ndarray, allowed: Collection[str] | None) -> tuple[Suggestion, ...]:
        """The incident types by probability, sharpened (see SHARPNESS) and renormalised among ``allowed``: a
        company never gets a type that concerns individuals only, and how sure it is reads among what it can be."""
        pairs = [
            (code, p**SHARPNESS)
            for code, p in zip(self.classes, probabilities, strict=True)
            if not allowed or code in allowed
        ]
        total = sum(p for _, p in pairs) or 1.0
        pairs.sort(key=lambda pair: (-pair[1], pair[0]))
        return tuple(Suggestion(code, round(float(p / total), 4)) for code, p in pairs)

    def fingerprint(self) -> str:
        """Identifies the fitted weights: two trainings on the same corpus give the same fingerprint."""
        model = self.pipeline.steps[-1][1]
        digest = hashlib.sha256(np.ascontiguousarray(model.coef_).tobytes())
        digest.update(np.ascontiguousarray(model.intercept_).tobytes())
        digest.update("\n".join(self.classes).encode())
        return digest.hexdigest()

    def memory_bytes(self) -> int:
        """Memory of the weights and of the vocabularies (an estimate of what a worker holds)."""
        model = self.pipeline.steps[-1][1]
        total = model.coef_.nbytes + model.intercept_.nbytes
        for _, vectorizer in self.pipeline.steps[0][1].transformer_list:
            total += vectorizer.idf_.nbytes + sum(len(term) + 100 for term in vectorizer.vocabulary_)
        return total


def train(examples: Sequence[Example]) -> Classifier:
    return Classifier(examples)


def model_key(examples: Sequence[Example]) -> str:
    """Names a model by what makes it: the examples, the model's settings and scikit-learn's version."""
    return hashlib.sha256(f"{digest(examples)}|{MODEL_VERSION}|{sklearn.__version__}".encode()).hexdigest()[:32]


def story_groups(examples: Sequence[Example]) -> list[int]:
    """A group number per example: descriptions so alike that they tell the same story share one, so that an
    evaluation never trains on one and tests on its near-copy."""
    texts = [normalise(example.text) for example in examples]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(texts)
    similar = (vectors @ vectors.T).tocoo()
    parent = list(range(len(texts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, value in zip(similar.row, similar.col, similar.data, strict=True):
        if i < j and value >= NEAR_COPY:
            parent[root(i)] = root(j)
    return [root(i) for i in range(len(texts))]


@dataclass
class Figures:
    """How often the right incident type is first, or among the first three, with the most frequent confusions."""

    total: int = 0
    top1: int = 0
    top3: int = 0
    per_incident: dict[str, list[int]] = field(default_factory=dict)  # code -> [examples, top1, top3]
    confusions: Counter = field(default_factory=Counter)  # (expected, first suggested) -> count
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)  # text, expected, first three
    firsts: list[tuple[float, bool]] = field(default_factory=list)  # the first suggestion's confidence, and if right

    def add(self, example: Example, ranked: Sequence[Suggestion]) -> None:
        codes = [suggestion.incident for suggestion in ranked[:SUGGESTIONS]]
        if ranked:
            self.firsts.append((ranked[0].confidence, ranked[0].incident == example.incident))
        entry = self.per_incident.setdefault(example.incident, [0, 0, 0])
        entry[0] += 1
        self.total += 1
        if codes and codes[0] == example.incident:
            self.top1 += 1
            entry[1] += 1
        elif codes:
            self.confusions[(example.incident, codes[0])] += 1
        if example.incident in codes:
            self.top3 += 1
            entry[2] += 1
        else:
            self.misses.append((example.text, example.incident, codes))

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def reliability(self) -> list[dict]:
        """How often the first suggestion is right, by how sure it said it was: the confidence shown is honest when
        the two agree."""
        bands = [(0.0, LOW_CONFIDENCE), (LOW_CONFIDENCE, 0.6), (0.6, 0.9), (0.9, 1.01)]
        rows = []
        for low, high in bands:
            inside = [right for confidence, right in self.firsts if low <= confidence < high]
            mean = [confidence for confidence, _ in self.firsts if low <= confidence < high]
            if inside:
                rows.append(
                    {
                        "from": low,
                        "to": min(high, 1.0),
                        "share": round(len(inside) / len(self.firsts), 4),
                        "mean_confidence": round(sum(mean) / len(mean), 4),
                        "right": round(sum(inside) / len(inside), 4),
                    }
                )
        return rows

    def as_dict(self, confusions: int = 10) -> dict:
        return {
            "examples": self.total,
            "top1": round(self.top1_rate, 4),
            "top3": round(self.top3_rate, 4),
            "reliability": self.reliability(),
            "per_incident": {
                code: {"examples": n, "top1": round(t1 / n, 4), "top3": round(t3 / n, 4)}
                for code, (n, t1, t3) in sorted(self.per_incident.items())
            },
            "confusions": [
                {"expected": expected, "suggested": suggested, "count": count}
                for (expected, suggested), count in self.confusions.most_common(confusions)
            ],
        }


def score(
    classifier: Classifier, examples: Sequence[Example], audiences: Mapping[str, Collection[str]], figures=None
) -> Figures:
    """Each example's suggestions among the incident types its audience can meet, as the site offers them."""
    figures = figures or Figures()
    if not examples:
        return figures
    probabilities = classifier.probabilities([normalise(example.text) for example in examples])
    for example, row in zip(examples, probabilities, strict=True):
        figures.add(example, classifier.rank(row, audiences.get(example.audience)))
    return figures


def cross_validate(
    examples: Sequence[Example], audiences: Mapping[str, Collection[str]], folds: int = 5, seed: int = 0
) -> Figures:
    """Stratified by incident type, grouped by story (see :func:`story_groups`)."""
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    labels = [example.incident for example in examples]
    figures = Figures()
    for train_rows, test_rows in splitter.split(examples, labels, story_groups(examples)):
        classifier = train([examples[i] for i in train_rows])
        score(classifier, [examples[i] for i in test_rows], audiences, figures)
    return figures
