"""French text normalised for search: lower case, no accents, no stop words, each word reduced to its stem.

Pages are indexed and queries are searched in this form, so "volé", "voler" and "vols" meet, "rancongiciel"
finds "rançongiciel", and the result is the same on PostgreSQL and on SQLite. Pure Python, no Django.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_stemmer = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[0-9a-zà-ÿœæ]+", re.IGNORECASE)

# Words too common to tell pages apart.
STOP_WORDS = frozenset(
    """au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me
    meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
    vos votre vous c d j l m n s t y a est sont ete etre avoir ai as avons avez ont si plus tres tout tous toute
    toutes comme quoi dont cela ca""".split()
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The stem of one lower-case word, without accents."""
    return strip_accents(_stemmer.stemWord(word))


def normalise(text: str) -> str:
    """'Mot de passe volé !' -> 'mot pass vol'."""
    words = []
    for word in _WORD.findall((text or "").lower()):
        if strip_accents(word) in STOP_WORDS:
            continue
        words.append(stem(word))
    return " ".join(words)
