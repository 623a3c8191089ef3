import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cyberaide.observatory.grouping import Cluster, Text, cluster, terms_of

# Victims' own words: typos, missing accents, no punctuation.
CPF_WAVE = [
    "on m'a appelé pour mon compte CPF formation, la personne disait que mes droits allaient etre perdus si je ne "
    "faisais pas une formation tout de suite",
    "sms compte personnel de formation (CPF) vos droits expirent le 31/12 cliquez sur le lien pour les conserver, "
    "j'ai cliquer et donné mon numero de secu",
    "Appel d'un conseiller soit disant de mon compte formation CPF, il m'a inscrit a une formation en anglais sans "
    "mon accord",
    "j ai reçu un sms me disant que mon solde CPF allait expirer, jai rentré mes identifiants france connect sur le "
    "lien",
    "quelqu un a utilisé mon CPF pour payer une formation que je n ai jamais demandé, 1500 euros de droits partis",
    "démarchage téléphonique insistant pour mon cpf, une formation soit disant gratuite avec mes droits",
    "Bonjour, un monsieur m'appelle tous les jours pour utiliser mes droits formation CPF avant qu'ils expirent",
    "mail soit disant de la caisse des depots compte personnel formation, mes droits cpf vont etre supprimés",
]
CRITAIR_WAVE = [
    "sms pour commander la vignette crit'air sinon amende de 135 euros, j'ai payé sur le site",
    "reçu un SMS qui dit que ma vignette critair est obligatoire et que je dois la renouveler, j ai payé 3,11 euros",
    "message sur mon telephone : votre vignette Crit Air expire, regularisez pour eviter une amende. j'ai mis ma "
    "carte bancaire",
    "Faux site vignette crit air, ils m'ont prélevé 49 euros au lieu de 3 euros pour la vignette",
    "sms amende vignette critair non payee, lien vers un site qui ressemble au site officiel",
]
ONE_OFFS = [
    "mon compte facebook a été piraté et la personne demande de l'argent a mes amis",
    "j'ai acheté une console sur leboncoin, le vendeur a disparu après le virement",
    "ma fille reçoit des messages d'un inconnu sur snapchat qui lui demande des photos",
    "un faux conseiller de ma banque m'a fait valider des opérations sur mon appli, j'ai perdu 4000 euros",
    "mon ordinateur affiche une page bloquée avec un numéro de support microsoft à appeler",
    "on a usurpé mon identité pour ouvrir un crédit à mon nom",
    "mon ex a installé un logiciel espion sur mon téléphone, il sait tout ce que je fais",
    "site de rencontre, un homme m'a demandé de l'argent pour payer ses frais d'hopital",
    "chantage a la webcam par mail, ils disent avoir des vidéos de moi",
    "colis en attente de livraison, j'ai réglé les frais de douane [numéro de carte retiré]",
]

CPF_KEYS = set(range(100, 100 + len(CPF_WAVE)))
CRITAIR_KEYS = set(range(200, 200 + len(CRITAIR_WAVE)))
ONE_OFF_KEYS = set(range(300, 300 + len(ONE_OFFS)))


def corpus() -> list[Text]:
    texts = [
        Text(key, text)
        for keys, wave in ((CPF_KEYS, CPF_WAVE), (CRITAIR_KEYS, CRITAIR_WAVE), (ONE_OFF_KEYS, ONE_OFFS))
        for key, text in zip(sorted(keys), wave, strict=True)
    ]
    random.Random(4).shuffle(texts)
    return texts


def best_match(clusters: list[Cluster], wave: set[int]) -> Cluster:
    return max(clusters, key=lambda found: len(wave & set(found.keys)))


def test_terms_of_normalises():
    assert terms_of("On m'a appelé pour mon compte CPF") == ["appel", "compt", "cpf"]
    assert terms_of("Télévision") == terms_of("television") == terms_of("TELEVISION")
    assert terms_of("prélevé") == terms_of("preleve")
    assert terms_of("Bonjour Madame, merci") == []


def test_terms_of_drops_numbers_short_words_and_scrubbed_data():
    assert terms_of("j'ai payé 135 euros le 12/03") == terms_of("payé euros")
    assert terms_of("appelé par le [numéro retiré], écrit à [adresse e-mail retirée]") == terms_of("appelé écrit")
    assert terms_of("") == []


def test_two_waves_come_out_as_two_clusters():
    clusters = cluster(corpus())

    cpf = best_match(clusters, CPF_KEYS)
    critair = best_match(clusters, CRITAIR_KEYS)
    assert cpf is not critair
    for found, wave in ((cpf, CPF_KEYS), (critair, CRITAIR_KEYS)):
        members = set(found.keys)
        assert len(wave - members) <= 1, "at most one member of the wave left out"
        assert len(members - wave) <= 1, "at most one stray"
    assert "cpf" in cpf.terms
    assert "vignette" in critair.terms
    assert len(cpf.terms) <= 5


def test_one_offs_stay_mostly_unclustered():
    clustered = {key for found in cluster(corpus()) for key in found.keys}

    assert len(clustered & ONE_OFF_KEYS) <= 2


def test_clusters_are_sorted_and_terms_are_surface_forms():
    clusters = cluster(corpus())

    assert [len(found.keys) for found in clusters] == sorted((len(found.keys) for found in clusters), reverse=True)
    assert all(len(found.keys) >= 2 for found in clusters)
    cpf = best_match(clusters, CPF_KEYS)
    assert "formation" in cpf.terms  # the word as written, not the stem "format"
    assert cpf.keys[0] in CPF_KEYS  # the most central member first


def test_output_is_deterministic():
    texts = corpus()

    assert cluster(texts) == cluster(list(reversed(texts))) == cluster(texts)


def test_min_size_and_threshold():
    texts = corpus()

    assert all(len(found.keys) >= 4 for found in cluster(texts, min_size=4))
    assert cluster(texts, threshold=1.01) == []
    singletons = cluster(texts, threshold=1.01, min_size=1)
    assert sorted(key for found in singletons for key in found.keys) == sorted(text.key for text in texts)


def test_edge_cases():
    assert cluster([]) == []
    assert cluster([Text(1, "cpf formation")]) == []
    assert cluster([Text(1, "Bonjour, je suis"), Text(2, "et de la"), Text(3, ""), Text(4, "   ")]) == []
    assert cluster([Text(1, "arnaque cpf formation"), Text(2, "arnaque cpf formation")]) == [
        Cluster(keys=(1, 2), terms=("arnaque", "cpf", "formation"))
    ]
    with pytest.raises(ValueError, match="duplicate keys"):
        cluster([Text(1, "cpf"), Text(1, "vignette")])


def test_a_wave_stands_out_among_two_thousand_texts():
    """One text in ten tells the same story in its own words (five of seven words about a CPF scam); the others
    are unrelated. The wave comes out as one group, alone; the time it takes is measured by `make bench`."""
    rng = random.Random(7)
    syllables = ["ba", "cro", "di", "fen", "gu", "lo", "mar", "ni", "pou", "ra", "sel", "tin", "vo", "zu"]
    vocabulary = sorted({"".join(rng.choices(syllables, k=3)) for _ in range(3000)})
    common = ["arnaque", "appel", "telephone", "argent", "compte", "message", "banque", "site"]
    story = ["cpf", "formation", "droits", "expirent", "conseiller", "inscription", "solde"]
    texts = []
    for key in range(2000):
        if key % 10 == 0:
            words = rng.choices(common, k=2) + rng.sample(story, 5) + rng.choices(vocabulary, k=3)
        else:
            words = rng.choices(common, k=2) + rng.choices(vocabulary, weights=range(len(vocabulary), 0, -1), k=8)
        texts.append(Text(key, " ".join(words)))

    clusters = cluster(texts)

    wave = set(range(0, 2000, 10))
    found = best_match(clusters, wave)
    assert len(wave & set(found.keys)) >= 190
    assert len(set(found.keys) - wave) <= 5
    assert found is clusters[0]
    assert all(len(other.keys) < 20 for other in clusters[1:])


texts_strategy = st.lists(
    st.tuples(
        st.integers(min_value=-1000, max_value=1000),
        st.lists(
            st.sampled_from(["cpf", "formation", "vignette", "crit'air", "amende", "sms", "le", "de", "Télé", "42"]),
            max_size=8,
        ).map(" ".join),
    ),
    max_size=30,
    unique_by=lambda item: item[0],
)


@settings(max_examples=200, deadline=None)
@given(texts_strategy, st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=1, max_value=4))
def test_every_key_is_an_input_key_in_at_most_one_cluster(items, threshold, min_size):
    texts = [Text(key, text) for key, text in items]

    clusters = cluster(texts, threshold=threshold, min_size=min_size)

    keys = [key for found in clusters for key in found.keys]
    assert len(keys) == len(set(keys))
    assert set(keys) <= {text.key for text in texts}
    assert all(len(found.keys) >= min_size for found in clusters)
