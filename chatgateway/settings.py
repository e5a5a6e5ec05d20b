"""Settings of the chat gateway, read from the environment with embedded defaults.

With nothing set the gateway runs locally on SQLite (``db.sqlite3`` in the project root)
and the in-memory channel layer. Production sets ``DATABASE_URL`` (PostgreSQL) and
``REDIS_URL`` (channels-redis) so that several daphne processes share data and groups.
docs/deployment.md lists every variable.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from chatgateway.env import env_bool, env_choice, env_float, env_int, env_list, env_str
from chatgateway.layers import channel_layer

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Security -------------------------------------------------------------------------------

DEV_SECRET_KEY = "django-insecure-chatgateway-development-key-do-not-deploy"
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key while DEBUG is off: set SECRET_KEY to a long "
        "random value (or DEBUG=1 for local use)."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)

# --- Applications ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "daphne",  # makes `runserver` serve ASGI, WebSockets included
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "models.apps.GatewayConfig",
    "support.apps.SupportConfig",
    "moderation.apps.ModerationConfig",
    "web.apps.WebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "chatgateway.urls"
ASGI_APPLICATION = "chatgateway.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_USER_MODEL = "gateway.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Data -----------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # Under ASGI, Django runs each HTTP request in a thread of its own, so persistent
    # connections (CONN_MAX_AGE > 0) pile up, one per thread, until PostgreSQL refuses new
    # clients. Django's docs say to use the driver's pool instead: psycopg's pool hands a
    # connection to whichever thread asks and takes it back when Django closes it.
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 2, minimum=0),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10, minimum=1),
            "timeout": env_float("DB_POOL_TIMEOUT", 10.0, minimum=0.1),
        }
else:
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock
    # when a transaction starts, so two writers queue on the busy timeout instead of one
    # failing with "database is locked" when it upgrades a read lock mid-transaction.
    _database.setdefault("OPTIONS", {}).update(
        {
            "timeout": env_float("SQLITE_BUSY_TIMEOUT", 20.0),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    # Tests use a file too: Django's default in-memory test database runs in shared-cache
    # mode, whose table locks fail concurrent writers at once ("database table is locked")
    # instead of queueing them like the real file does.
    _database.setdefault("TEST", {}).setdefault(
        "NAME", str(Path(tempfile.gettempdir()) / f"chatgateway-test-{os.getpid()}.sqlite3")
    )
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer --------------------------------------------------------------------------

# Capacity and expiry are chosen, not inherited: channels-redis silently drops a group
# message for a channel holding more than `capacity` queued messages (default 100), and
# the in-memory layer removes a channel from its groups once a queued message is older
# than `expiry`. Correctness does not rest on them (stored first, seq + resync, the
# consumer fills gaps and re-joins its groups on every heartbeat), but generous values
# keep the slow path rare under bursts.
CHANNEL_LAYER_CAPACITY = env_int("CHANNEL_LAYER_CAPACITY", 1000, minimum=1)
CHANNEL_LAYER_EXPIRY = env_int("CHANNEL_LAYER_EXPIRY", 60, minimum=1)
CHANNEL_LAYER_GROUP_EXPIRY = env_int("CHANNEL_LAYER_GROUP_EXPIRY", 86400, minimum=60)
REDIS_URL = env_str("REDIS_URL", "")
CHANNEL_LAYER_PREFIX = env_str("CHANNEL_LAYER_PREFIX", "chatgateway")
#: channels-redis's layer when ``REDIS_URL`` is set: ``pubsub`` or ``lists`` (layers.py).
CHANNEL_LAYER_BACKEND = env_choice("CHANNEL_LAYER_BACKEND", "pubsub", ("pubsub", "lists"))
CHANNEL_LAYERS = {
    "default": channel_layer(
        REDIS_URL,
        capacity=CHANNEL_LAYER_CAPACITY,
        expiry=CHANNEL_LAYER_EXPIRY,
        group_expiry=CHANNEL_LAYER_GROUP_EXPIRY,
        prefix=CHANNEL_LAYER_PREFIX,
        backend=CHANNEL_LAYER_BACKEND,
    )
}

# --- Gateway limits (docs/protocol.md) ------------------------------------------------------

#: Seconds after creation during which the sender may edit or delete a message.
GATEWAY_EDIT_WINDOW = env_int("GATEWAY_EDIT_WINDOW", 15 * 60)
#: Longest message text, in characters.
GATEWAY_MAX_TEXT_CHARS = env_int("GATEWAY_MAX_TEXT_CHARS", 4000, minimum=1)
#: Largest client frame, in bytes of UTF-8; JSON escapes can take 12 bytes per character.
GATEWAY_MAX_FRAME_BYTES = env_int("GATEWAY_MAX_FRAME_BYTES", 32 * 1024, minimum=256)
#: Sends, edits and deletes allowed per socket in GATEWAY_RATE_LIMIT_PERIOD seconds.
GATEWAY_RATE_LIMIT_MESSAGES = env_int("GATEWAY_RATE_LIMIT_MESSAGES", 30, minimum=1)
#: Frames of any kind (typing, read, history, garbage) allowed per socket in the period.
GATEWAY_FRAME_RATE_LIMIT = env_int("GATEWAY_FRAME_RATE_LIMIT", 120, minimum=1)
GATEWAY_RATE_LIMIT_PERIOD = env_float("GATEWAY_RATE_LIMIT_PERIOD", 10.0, minimum=0.001)
#: Refused frames (`rate_limited`) a socket may still send in the period; one more and it is
#: a flooder, closed 4429, so that answering its refusals cannot keep a core busy.
GATEWAY_RATE_LIMIT_REFUSALS = env_int("GATEWAY_RATE_LIMIT_REFUSALS", 120, minimum=1)
#: Seconds after a `flooding` close during which that user's new sockets are refused (4429),
#: over all processes; 0 turns the cool-down off.
GATEWAY_FLOOD_COOLDOWN = env_float("GATEWAY_FLOOD_COOLDOWN", 60.0, minimum=0.0)
#: Database threads storing a process's sends, each for its own shard of conversations
#: (messaging/sending.py). 1: Channels' single database thread, as every other call.
GATEWAY_SEND_THREADS = env_int("GATEWAY_SEND_THREADS", 1, minimum=1)
#: `history` answers this many items when the client gives no limit, and at most MAX.
GATEWAY_HISTORY_DEFAULT = env_int("GATEWAY_HISTORY_DEFAULT", 50, minimum=1)
GATEWAY_HISTORY_MAX = env_int("GATEWAY_HISTORY_MAX", 200, minimum=1)
#: Open sockets per user, over all processes (phones, tabs, laptops).
GATEWAY_MAX_CONNECTIONS_PER_USER = env_int("GATEWAY_MAX_CONNECTIONS_PER_USER", 10, minimum=1)
#: A socket without any client frame for this many seconds is closed (4408).
GATEWAY_IDLE_TIMEOUT = env_float("GATEWAY_IDLE_TIMEOUT", 15 * 60.0, minimum=0.01)
#: How often each socket proves it is alive in the connection log and re-joins its groups.
#: A log row silent for three intervals belongs to a dead process and no longer counts.
GATEWAY_HEARTBEAT_INTERVAL = env_float("GATEWAY_HEARTBEAT_INTERVAL", 60.0, minimum=0.01)
#: Lifetime of a WebSocket ticket from POST /api/ws-ticket/, in seconds.
GATEWAY_TICKET_MAX_AGE = env_int("GATEWAY_TICKET_MAX_AGE", 60, minimum=1)
#: Off only for benchmarks that measure the cost of redaction.
GATEWAY_REDACTION_ENABLED = env_bool("GATEWAY_REDACTION_ENABLED", True)
#: Where the engine's split-message window lives: `redis` shares it between processes
#: (a sender's sockets may land on different ones), `memory` keeps it per process, `auto`
#: is `redis` when REDIS_URL is set.
GATEWAY_WINDOW_STORE = env_choice("GATEWAY_WINDOW_STORE", "auto", ("auto", "memory", "redis"))
if GATEWAY_WINDOW_STORE == "redis" and not REDIS_URL:
    raise ImproperlyConfigured("GATEWAY_WINDOW_STORE=redis needs REDIS_URL")
#: Key prefix of the window's Redis lists (tests give each test its own).
GATEWAY_WINDOW_PREFIX = f"{CHANNEL_LAYER_PREFIX}:window"
#: What happens to a message once redacted (mask, for now); moderation swaps it.
GATEWAY_POLICY = env_str("GATEWAY_POLICY", "moderation.policy.StrikePolicy")

# --- Moderation (docs/moderation.md) --------------------------------------------------------

#: Fernet keys for originals at rest, comma-separated, newest first. The development
#: default is derived from SECRET_KEY, which itself is refused when DEBUG is off.
MODERATION_FERNET_KEYS = env_list("MODERATION_FERNET_KEYS", []) or [
    base64.urlsafe_b64encode(hashlib.sha256(f"fernet:{SECRET_KEY}".encode()).digest()).decode()
]
#: Days a strike counts; points of active strikes reaching FLAG_AT open a case for review,
#: reaching SUSPEND_AT suspend the user at once, pending review.
MODERATION_STRIKE_DAYS = env_int("MODERATION_STRIKE_DAYS", 30, minimum=1)
MODERATION_FLAG_AT = env_int("MODERATION_FLAG_AT", 2, minimum=1)
MODERATION_SUSPEND_AT = env_int("MODERATION_SUSPEND_AT", 3, minimum=1)
#: Points for a disguised attempt (spelled digits, leet, split over messages...).
MODERATION_DISGUISED_POINTS = env_int("MODERATION_DISGUISED_POINTS", 2, minimum=1)
#: Once the client marks a project's contract active, use the "contract" rules below.
MODERATION_RELAX_AFTER_CONTRACT = env_bool("MODERATION_RELAX_AFTER_CONTRACT", False)
#: Per stage: whether violations count strikes, and the action per kind of detail ("*" is
#: any other kind): mask, flag, hold, block or bounce.
MODERATION_RULES = {
    "project": {"strikes": True, "actions": {"*": "mask"}},
    "contract": {"strikes": False, "actions": {"*": "mask"}},
    "support": {"strikes": False, "actions": {"*": "mask"}},
}
#: Original texts of masked messages are purged after this many days.
MODERATION_ORIGINALS_RETENTION_DAYS = env_int("MODERATION_ORIGINALS_RETENTION_DAYS", 90, minimum=1)

# --- Live support (docs/support.md) ---------------------------------------------------------

#: Chats an agent handles at once, unless the agent's own status sets another capacity.
SUPPORT_AGENT_CAPACITY = env_int("SUPPORT_AGENT_CAPACITY", 3, minimum=1)
#: Assign queued chats to the least-loaded online agent instead of waiting for a claim.
SUPPORT_AUTO_ASSIGN = env_bool("SUPPORT_AUTO_ASSIGN", False)
#: Seconds an agent may be disconnected before their chats go back to the queue.
SUPPORT_REQUEUE_GRACE = env_float("SUPPORT_REQUEUE_GRACE", 60.0, minimum=0.0)
#: Recent assignments whose waits make a queued user's estimate.
SUPPORT_WAIT_SAMPLE = env_int("SUPPORT_WAIT_SAMPLE", 20, minimum=1)

# --- Internationalisation, static files, logging ----------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "consumers": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
        "messaging": {"level": env_str("LOG_LEVEL", "INFO"), "propagate": True},
    },
}
