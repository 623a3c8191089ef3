"""Settings for Cyberaide, read from the environment with embedded defaults.

Without any environment variable the project runs on SQLite under ``var/``, an in-memory cache and channel
layer, and prints e-mails to the console. ``DATABASE_URL`` and ``REDIS_URL`` switch it to PostgreSQL and
Redis. ``DEBUG=false`` turns on the production hardening (HTTPS-only cookies, HSTS, …) and requires a real
``SECRET_KEY``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
DEVELOPMENT_SECRET_KEY = "insecure-development-key-never-use-in-production-4f0c9a1e7b2d"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "channels",
    "ninja",
    "widget_tweaks",
    "dsfr",
    "cyberaide.core",
    "cyberaide.accounts",
    "cyberaide.diagnostic",
    "cyberaide.providers",
    "cyberaide.assistance",
    "cyberaide.content",
    "cyberaide.chat",
    "cyberaide.partners",
    "cyberaide.observatory",
    "cyberaide.antiscam",
    "django_tasks_db",
    # Wagtail, for the prevention content (after our apps, so that our templates win).
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cyberaide.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cyberaide.accounts.middleware.EditorialTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cyberaide.partners.framing.PartnerFramingMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cyberaide" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cyberaide.core.context_processors.site",
                "cyberaide.core.context_processors.alerts",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'cyberaide.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Under ASGI each request may run on a different thread, so persistent per-thread connections would pile up
    # until PostgreSQL refuses new clients: a bounded pool per process is used instead.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DB_POOL_MAX_SIZE", default=8),
            "timeout": env.int("DB_POOL_TIMEOUT", default=10),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        # redis-py 8 reads with a 5-second socket timeout by default, the very time channels_redis blocks waiting
        # for a message: a consumer would then die of a read timeout on an idle channel. Give the read margin.
        # Its pool also refuses a 101st simultaneous command: hundreds of pages reconnecting at once (after a
        # restart) each join their groups, so allow more. And all the sockets of a process share one Redis queue,
        # which drops silently beyond its capacity (100 by default): a busy process needs far more.
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 30,
                        "max_connections": env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=1000),
                    }
                ],
                "capacity": env.int("CHANNEL_LAYER_CAPACITY", default=5000),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "cyberaide" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when it is missing (before the first collectstatic)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# WhiteNoise rewrites the DSFR stylesheet, so the integrity hashes django-dsfr ships no longer match.
DSFR_USE_INTEGRITY_CHECKSUMS = False
DSFR_MARK_OPTIONAL_FIELDS = True

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cyberaide <ne-pas-repondre@cyberaide.example>")
# Links in e-mails point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Requests: refuse oversized bodies before they reach a view (the API's largest legitimate body is a few KB).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# Security headers and cookies. In production (DEBUG off) every cookie is HTTPS-only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Trained triage models, named after what they were trained on, so that each process does not train its own.
# Written and read by the service only (they are Python pickles): keep the folder writable by it alone.
TRIAGE_CACHE_DIR = env.path("TRIAGE_CACHE_DIR", default=VAR_DIR / "triage")

# --- Wagtail (prevention content) ---
WAGTAIL_SITE_NAME = "Cyberaide"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # ASCII addresses, easy to type and to read aloud
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no request to a third party
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar fetched from a third party (it would leak e-mail hashes)
WAGTAILADMIN_COMMENTS_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_FRONTEND_LOGIN_URL = "/compte/connexion/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords and second factors are managed by our own pages
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "zip", "odt", "ods", "odp", "txt", "csv", "mp4", "webm", "vtt", "png", "jpg"]
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
WAGTAILEMBEDS_FINDERS = []  # embeds would load third-party content
WAGTAILSEARCH_BACKENDS = {
    # Text is stemmed and stripped of accents by cyberaide.content.search_text before it is indexed and searched,
    # so PostgreSQL full-text (in production) and SQLite FTS5 (by default) behave alike.
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"},
}
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}
# Background tasks (alert e-mails, Wagtail's search index): run at once by default; in production set
# TASKS_BACKEND=database and run `manage.py db_worker` so that a long mailing never holds a web request.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env.str("TASKS_BACKEND", default="immediate")]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # Request logs would carry tokens and addresses: keep them out.
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # The development server prints one line per request, once.
        "django.channels.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Cyberaide ---
# Staff must give a one-time code (TOTP) on top of their password to reach the back office.
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=True)
SITE_TITLE = "Cyberaide"
SITE_TAGLINE = "Assistance et prévention en sécurité numérique"
# An unfinished diagnostic expires after this many hours without an answer.
DIAGNOSTIC_SESSION_TTL_HOURS = env.int("DIAGNOSTIC_SESSION_TTL_HOURS", default=24)
# Results (and the free texts they carry) are deleted after this many days.
DIAGNOSTIC_RESULT_RETENTION_DAYS = env.int("DIAGNOSTIC_RESULT_RETENTION_DAYS", default=90)
# "Je n'ai pas trouvé" descriptions are kept this long for staff review, then deleted.
UNMATCHED_REPORT_RETENTION_DAYS = env.int("UNMATCHED_REPORT_RETENTION_DAYS", default=365)
# Rate limits: "count/seconds" per client address, counted in the cache (the address itself is never stored).
RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", default=True)
RATELIMIT_DIAGNOSTIC_START = env.str("RATELIMIT_DIAGNOSTIC_START", default="60/600")
RATELIMIT_TRIAGE = env.str("RATELIMIT_TRIAGE", default="60/600")  # descriptions analysed (nothing is stored)
RATELIMIT_FREE_TEXT = env.str("RATELIMIT_FREE_TEXT", default="10/600")
# A provider must answer an assistance request within this many hours, or the victim may choose another.
ASSISTANCE_RESPONSE_HOURS = env.int("ASSISTANCE_RESPONSE_HOURS", default=48)
# A victim's contact details are erased this many days after their request ended.
ASSISTANCE_CONTACT_RETENTION_DAYS = env.int("ASSISTANCE_CONTACT_RETENTION_DAYS", default=365)
# An ExpertCyber label is granted for this many days by default (two years).
LABEL_VALIDITY_DAYS = env.int("LABEL_VALIDITY_DAYS", default=730)
# The name shown in authenticator apps.
OTP_TOTP_ISSUER = "Cyberaide"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
RATELIMIT_LOGIN = env.str("RATELIMIT_LOGIN", default="10/600")
RATELIMIT_ASSISTANCE_REQUEST = env.str("RATELIMIT_ASSISTANCE_REQUEST", default="5/3600")
# Alert e-mails: subscription attempts per client address, and how long a confirmation link stays valid.
RATELIMIT_ALERT_SUBSCRIPTION = env.str("RATELIMIT_ALERT_SUBSCRIPTION", default="5/3600")
ALERT_CONFIRMATION_DAYS = env.int("ALERT_CONFIRMATION_DAYS", default=7)
RATELIMIT_SEARCH = env.str("RATELIMIT_SEARCH", default="120/600")
# The active alerts shown in the banner are cached this many seconds (publishing clears the cache at once).
ALERT_BANNER_CACHE_SECONDS = env.int("ALERT_BANNER_CACHE_SECONDS", default=60)
# 17Cyber chat: an agent is online while their console said so in the last this many seconds.
CHAT_PRESENCE_TIMEOUT_SECONDS = env.int("CHAT_PRESENCE_TIMEOUT_SECONDS", default=90)
# Messages are limited to this many characters (a longer text is cut into several messages by the victim).
CHAT_MESSAGE_MAX_LENGTH = env.int("CHAT_MESSAGE_MAX_LENGTH", default=2000)
# A conversation in which nobody wrote for this many hours is closed.
CHAT_ABANDON_HOURS = env.int("CHAT_ABANDON_HOURS", default=12)
# Transcripts, diagnosis summaries and transmission sheets are erased this many days after the conversation closed.
CHAT_RETENTION_DAYS = env.int("CHAT_RETENTION_DAYS", default=90)
RATELIMIT_CHAT_OPEN = env.str("RATELIMIT_CHAT_OPEN", default="5/3600")
# Per conversation and per side (victim or agent): enough to type fast, not enough to flood.
RATELIMIT_CHAT_MESSAGE = env.str("RATELIMIT_CHAT_MESSAGE", default="20/30")
# Partner module: applications per client address, and the demonstration partner page (`/demo-partenaire/`).
RATELIMIT_PARTNER_APPLICATION = env.str("RATELIMIT_PARTNER_APPLICATION", default="3/86400")
PARTNER_DEMO_PAGE = env.bool("PARTNER_DEMO_PAGE", default=DEBUG)
PARTNER_DEMO_KEY = "demo-mairie"
# The observatory: cells under this many journeys are shown as "< 11" (the INSEE rule for people); a month is
# published this many days after its end, once journeys finished late and their follow-ups are counted.
OBSERVATORY_THRESHOLD = env.int("OBSERVATORY_THRESHOLD", default=11)
OBSERVATORY_PUBLICATION_DELAY_DAYS = env.int("OBSERVATORY_PUBLICATION_DELAY_DAYS", default=7)
# Periods and audiences of the observatory whose figures are not drawn yet, per client address (drawn ones are free).
RATELIMIT_OBSERVATORY = env.str("RATELIMIT_OBSERVATORY", default="60/600")
# Anti-scam filter. Reports keep the keyed hash of their network this long (enough for the listing rules to look
# back), then nothing that could tell two victims apart. Answered contests keep the contact details this long.
ANTISCAM_SOURCE_RETENTION_DAYS = env.int("ANTISCAM_SOURCE_RETENTION_DAYS", default=30)
ANTISCAM_CONTEST_RETENTION_DAYS = env.int("ANTISCAM_CONTEST_RETENTION_DAYS", default=365)
# Listings made by staff last this many days unless they choose otherwise.
ANTISCAM_DEFAULT_LISTING_DAYS = env.int("ANTISCAM_DEFAULT_LISTING_DAYS", default=180)
# Per client address: checks on the public page, indicator submissions at the end of a diagnostic, contests, and
# lookups by browsers (a browser asks only when a prefix of its local list matches, so rarely).
RATELIMIT_ANTISCAM_CHECK = env.str("RATELIMIT_ANTISCAM_CHECK", default="30/600")
RATELIMIT_ANTISCAM_REPORT = env.str("RATELIMIT_ANTISCAM_REPORT", default="10/3600")
RATELIMIT_ANTISCAM_CONTEST = env.str("RATELIMIT_ANTISCAM_CONTEST", default="3/3600")
RATELIMIT_ANTISCAM_LOOKUP = env.str("RATELIMIT_ANTISCAM_LOOKUP", default="300/60")
