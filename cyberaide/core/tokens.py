"""References people can read out, and secret tokens stored only as hashes."""

import hashlib
import secrets

# No 0/O, 1/I/L: a reference read over the phone is not misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def reference(prefix: str) -> str:
    """``A-7K3M9QXR``: a prefix saying what it refers to, then 8 characters (about 40 bits)."""
    return f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def hash_token(token: str) -> str:
    """What is stored of a secret token: the database alone does not give access to what it protects."""
    return hashlib.sha256(token.encode()).hexdigest()
