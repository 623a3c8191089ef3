"""Test settings: the same as production-like defaults, with fast hashing and rate limits off unless a test turns
them on. ``DATABASE_URL`` and ``REDIS_URL`` still apply, so CI runs the suite on PostgreSQL and Redis too."""

import os
import tempfile
from pathlib import Path

from .settings import *  # noqa: F403
from .settings import CACHES, CHANNEL_LAYERS

# Uploaded files of each test process in a folder of its own, removed at the end (tests/conftest.py).
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="cyberaide-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
RATELIMIT_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each pytest-xdist worker keeps its own keys in a shared Redis.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
# ... and its own channel-layer groups (each worker's database numbers its rows from 1).
if "CONFIG" in CHANNEL_LAYERS["default"]:
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
# WhiteNoise would index every static file (the DSFR ships thousands) each time a test client starts a handler;
# in auto-refresh mode it looks files up on request instead.
WHITENOISE_AUTOREFRESH = True
# Static files straight from the apps (no collectstatic before the tests), for the ASGI server of browser tests.
WHITENOISE_USE_FINDERS = True
# A file rather than memory for SQLite, so that a real ASGI server running in another thread (browser tests with
# WebSockets) sees the same test database. pytest-xdist gives each worker its own file.
from .settings import DATABASES, VAR_DIR  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# No connection pool in tests: the test database is dropped at the end, and pooled connections held by the
# browser tests' server thread would keep it open.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {}

# The demonstration partner page embeds the module in the browser tests.
PARTNER_DEMO_PAGE = True
