"""Group similar "je n'ai pas trouvé" descriptions so staff can spot a new scam wave.

Victims who do not find their situation in the diagnostic describe it in a few words. Read one by one, twenty
texts about a fake "compte CPF" call look like twenty isolated cases; grouped, they are a wave worth a new incident
type or a journey change. Pure Python (the standard library and snowballstemmer), no Django: the caller passes
``Text(key=report.pk, text=report.description)`` and gets ``Cluster`` objects back.

How texts are compared
    Each text becomes a bag of French stems (``terms_of``): lower case, accents folded *before* stemming (victims
    often leave accents out, so "prélevé" and "preleve" must meet), stop words, words of one or two letters and
    numbers dropped, as are the placeholders that replace scrubbed personal data ("[numéro retiré]"), which say
    nothing about the situation. Stems are weighted by TF-IDF, the IDF being computed on the given collection
    (``1 + log(tf)`` times ``1 + log((1 + n) / (1 + df))``), and vectors are normalised, so the similarity of two
    texts is the cosine of their vectors, between 0 and 1.

How pairs are found
    Only texts sharing a stem can be similar, so an inverted index (stem -> texts) gives the candidates. To stay
    fast when a stem is in most texts ("appel", "arnaque"), the index uses prefix filtering (Bayardo et al.,
    "Scaling up all pairs similarity search", 2007): a text's commonest stems, whose combined weight cannot reach
    the threshold on their own, are left out of the index; a pair sharing only such stems cannot reach the
    threshold either, so no pair at or above the threshold is missed, and every candidate's cosine is exact.

How groups are formed
    Agglomeration along the graph of pairs at or above the threshold: every text starts alone, and the two
    connected groups whose centroids (the sums of their members' vectors) have the highest cosine are merged, as
    long as that cosine is at least the threshold. A group is thus compared with its neighbours as a whole: one
    text mentioning two scams does not chain their waves into one group, as single-link would, and nothing needs to
    be known in advance, as a fixed number of clusters would. A text still alone at the end joins the group whose
    centroid it is closest to, if at least the threshold. Ties are broken by the smallest keys, so the output only
    depends on the input.

Groups of fewer than ``min_size`` texts are left out; groups come largest first, then by smallest key. Within a
group, texts come most central first (closest to the group's mean vector), and ``terms`` gives up to five of the
group's heaviest stems shared by at least two members, spelt as the victims most often wrote them.
"""

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from cyberaide.content.search_text import STOP_WORDS, stem, strip_accents

# Letters only: digits split words and are dropped ("crit'air 2" -> "crit", "air"; "135 euros" -> "euros").
_WORD = re.compile(r"[^\W\d_]+")
# The placeholders cyberaide.core.text.scrub_personal_data leaves: "[adresse e-mail retirée]", "[IBAN retiré]"...
_SCRUBBED = re.compile(r"\[[^\[\]]{0,40}\bretir[ée]e?\]", re.IGNORECASE)
_MIN_LENGTH = 3  # "cpf", "sms" and "air" stay; "j", "ai", "ma" go.
TERM_COUNT = 5

# Beyond the search stop words: verb forms and fillers that say nothing about a scam, and the politeness of a
# message to an administration. Accents folded, like the words they are compared with.
EXTRA_STOP_WORDS = frozenset(
    """bonjour bonsoir merci madame monsieur cordialement svp stp
    suis es sommes etes etais etait etions etiez etaient serai sera seront serait fut jai cest
    aie ait avais avait avions aviez avaient aurai aura auront aurait eu eue eus
    fait faite faits fais faire font faisait faisais faisaient
    vais vas va allons allez vont allait allais allaient aller alle allee
    dit dis disait disaient disant dire dites
    veut veux voulait voulais voulaient voulu vouloir
    peut peux pouvez pouvons peuvent pouvait pourrait dois doit devez devons doivent devait
    les des aux ces ses mes tes nos vos leur ceux celle celles celui cela ceci ici soit
    lors alors donc car puis ainsi aussi encore deja bien tres trop peu jamais toujours
    sans sous vers chez entre depuis pendant avant apres comment quand pourquoi
    quel quelle quels quelles lequel laquelle
    autre autres meme memes chaque certains certaine plusieurs aucun aucune rien
    quelqu quelque quelques personne non oui etc voila euro euros eur""".split()
)
_STOP = STOP_WORDS | EXTRA_STOP_WORDS


@dataclass(frozen=True)
class Text:
    key: int  # the report's id
    text: str


@dataclass(frozen=True)
class Cluster:
    keys: tuple[int, ...]  # members, most central first
    terms: tuple[str, ...]  # up to 5 readable characteristic words (surface forms, not stems)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(stem, surface form) for each meaningful word of text, in order."""
    tokens = []
    for word in _WORD.findall(_SCRUBBED.sub(" ", (text or "").lower())):
        folded = strip_accents(word)
        if len(folded) < _MIN_LENGTH or folded in _STOP:
            continue
        tokens.append((stem(folded), word))
    return tokens


def terms_of(text: str) -> list[str]:
    """The normalised stems of text, in order, repeats kept: 'On m'a appelé pour mon compte CPF' -> ['appel',
    'compt', 'cpf']."""
    return [term for term, _ in _tokens(text)]


def _vectors(token_lists: list[list[tuple[str, str]]]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors, one per text (empty for a text with no term)."""
    counts = [Counter(term for term, _ in tokens) for tokens in token_lists]
    document_frequency = Counter(term for count in counts for term in count)
    n = len(counts)
    idf = {term: 1.0 + math.log((1 + n) / (1 + df)) for term, df in document_frequency.items()}
    vectors = []
    for count in counts:
        weights = {term: (1.0 + math.log(tf)) * idf[term] for term, tf in count.items()}
        norm = math.sqrt(sum(weight * weight for weight in weights.values()))
        vectors.append({term: weight / norm for term, weight in weights.items()})
    return vectors


def _similar_pairs(vectors: list[dict[str, float]], threshold: float) -> dict[tuple[int, int], float]:
    """{(i, j): cosine} for every i < j whose cosine is at least threshold (see "How pairs are found")."""
    document_frequency = Counter(term for vector in vectors for term in vector)
    max_weight: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector.items():
            if weight > max_weight.get(term, 0.0):
                max_weight[term] = weight
    index: dict[str, list[int]] = defaultdict(list)
    pairs = {}
    for j, vector in enumerate(vectors):
        candidates = {i for term in vector for i in index.get(term, ())}
        for i in sorted(candidates):
            other = vectors[i]
            small, large = (vector, other) if len(vector) <= len(other) else (other, vector)
            similarity = sum(weight * large.get(term, 0.0) for term, weight in small.items())
            if similarity >= threshold:
                pairs[i, j] = similarity
        # Commonest terms first; those whose best possible contribution stays under the threshold are not indexed.
        bound = 0.0
        for term in sorted(vector, key=lambda term: (-document_frequency[term], term)):
            bound += vector[term] * max_weight[term]
            if bound >= threshold:
                index[term].append(j)
    return pairs


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(weight * weight for weight in vector.values()))


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def _centroid_linkage(
    vectors: list[dict[str, float]], pairs: dict[tuple[int, int], float], threshold: float
) -> list[list[int]]:
    """Groups of indices, merged by centroid cosine along the similar pairs (see "How groups are formed")."""
    # A group is named by its smallest index, which never changes as it grows; its centroid is the sum of its
    # members' vectors.
    members = {i: [i] for i in range(len(vectors))}
    centroids = {i: dict(vector) for i, vector in enumerate(vectors)}
    norms = dict.fromkeys(range(len(vectors)), 1.0)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)
    version = dict.fromkeys(range(len(vectors)), 0)
    heap = [(-similarity, i, j, 0, 0) for (i, j), similarity in pairs.items()]
    heapq.heapify(heap)
    while heap:
        _, a, b, version_a, version_b = heapq.heappop(heap)
        if version.get(a) != version_a or version.get(b) != version_b:
            continue  # one of the groups has grown (or gone) since this entry was pushed
        # a < b: b joins a.
        members[a].extend(members.pop(b))
        centroid = centroids[a]
        for term, weight in centroids.pop(b).items():
            centroid[term] = centroid.get(term, 0.0) + weight
        norms[a] = _norm(centroid)
        del norms[b], version[b]
        version[a] += 1
        neighbours[a] |= neighbours.pop(b)
        neighbours[a] -= {a, b}
        for other in sorted(neighbours[a]):
            neighbours[other].discard(b)
            neighbours[other].add(a)
            similarity = _dot(centroid, centroids[other]) / (norms[a] * norms[other])
            if similarity >= threshold:
                first, second = min(a, other), max(a, other)
                heapq.heappush(heap, (-similarity, first, second, version[first], version[second]))
    _attach_loners(vectors, members, centroids, norms, threshold)
    return list(members.values())


def _attach_loners(
    vectors: list[dict[str, float]],
    members: dict[int, list[int]],
    centroids: dict[int, dict[str, float]],
    norms: dict[int, float],
    threshold: float,
) -> None:
    """Each text left alone joins the group whose centroid it is most similar to, if at least threshold."""
    groups = sorted(group for group, group_members in members.items() if len(group_members) > 1)
    index: dict[str, list[int]] = defaultdict(list)
    for group in groups:
        for term in centroids[group]:
            index[term].append(group)
    joining = []
    for loner in sorted(group for group, group_members in members.items() if len(group_members) == 1):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vectors[loner].items():
            for group in index.get(term, ()):
                scores[group] += weight * centroids[group][term]
        if scores:
            best = min(scores, key=lambda group: (-scores[group] / norms[group], group))
            if scores[best] / norms[best] >= threshold:
                joining.append((loner, best))
    # Centroids are left as they were, so the order in which loners are considered does not matter.
    for loner, group in joining:
        members[group].extend(members.pop(loner))


def _characteristic_terms(
    group: list[int], vectors: list[dict[str, float]], token_lists: list[list[tuple[str, str]]]
) -> tuple[str, ...]:
    weight: Counter[str] = Counter()
    holders: Counter[str] = Counter()
    for i in group:
        weight.update(vectors[i])
        holders.update(vectors[i].keys())
    shared = [term for term in weight if holders[term] >= 2]
    best = sorted(shared, key=lambda term: (-weight[term], term))[:TERM_COUNT]
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for i in group:
        for term, word in token_lists[i]:
            if term in best:
                spellings[term][word] += 1
    return tuple(min(spellings[term].items(), key=lambda item: (-item[1], item[0]))[0] for term in best)


def cluster(texts: Sequence[Text], *, threshold: float = 0.3, min_size: int = 2) -> list[Cluster]:
    """Groups of similar texts (see the module's docstring), largest first; texts in no group of at least
    min_size are left out. Keys must be unique (they are report ids)."""
    texts = sorted(texts, key=lambda text: text.key)
    duplicates = sorted(key for key, count in Counter(text.key for text in texts).items() if count > 1)
    if duplicates:
        raise ValueError(f"duplicate keys: {duplicates[:10]}")
    token_lists = [_tokens(text.text) for text in texts]
    vectors = _vectors(token_lists)
    pairs = _similar_pairs(vectors, threshold)
    clusters = []
    for group in _centroid_linkage(vectors, pairs, threshold):
        if len(group) < max(min_size, 1):
            continue
        centroid: Counter[str] = Counter()
        for i in group:
            centroid.update(vectors[i])
        centrality = {i: sum(weight * centroid[term] for term, weight in vectors[i].items()) for i in group}
        ordered = sorted(group, key=lambda i: (-centrality[i], texts[i].key))
        clusters.append(
            Cluster(
                keys=tuple(texts[i].key for i in ordered),
                terms=_characteristic_terms(group, vectors, token_lists),
            )
        )
    clusters.sort(key=lambda found: (-len(found.keys), min(found.keys)))
    return clusters
