"""Settings come from the environment, with defaults that run locally."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from chatgateway.env import env_bool, env_choice, env_float, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, chatgateway.settings as s
layer = s.CHANNEL_LAYERS["default"]
db = s.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
    "options": {k: v for k, v in db.get("OPTIONS", {}).items()},
    "layer": layer["BACKEND"], "layer_config": layer["CONFIG"],
    "debug": s.DEBUG, "hosts": s.ALLOWED_HOSTS, "edit_window": s.GATEWAY_EDIT_WINDOW,
    "rate": s.GATEWAY_RATE_LIMIT_MESSAGES,
    "window": [s.GATEWAY_WINDOW_STORE, s.GATEWAY_WINDOW_PREFIX],
}, default=str))
"""


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=60,
    )


def settings_with(**env: str) -> dict:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_nothing_set_means_sqlite_in_the_project_and_in_memory_layer():
    """No environment: SQLite db.sqlite3 at the root (WAL, busy timeout), in-memory layer."""
    loaded = settings_with()
    assert loaded["engine"] == "django.db.backends.sqlite3"
    assert loaded["name"] == str(ROOT / "db.sqlite3")
    assert loaded["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in loaded["options"]["init_command"]
    assert loaded["options"]["timeout"] >= 5
    assert loaded["layer"] == "channels.layers.InMemoryChannelLayer"
    assert loaded["layer_config"]["capacity"] >= 100
    assert (loaded["debug"], loaded["hosts"]) == (True, ["127.0.0.1", "localhost"])
    assert (loaded["edit_window"], loaded["rate"]) == (900, 30)


def test_database_and_redis_urls_switch_to_production_backends():
    """DATABASE_URL selects PostgreSQL; REDIS_URL the Redis layer without a read timeout."""
    loaded = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/chat",
        REDIS_URL="redis://127.0.0.1:6379/3",
        GATEWAY_EDIT_WINDOW="60",
        GATEWAY_RATE_LIMIT_MESSAGES="5",
    )
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert (loaded["name"], loaded["host"]) == ("chat", "127.0.0.1")
    assert loaded["layer"] == "chatgateway.pubsub.PipelinedPubSubChannelLayer"
    host = loaded["layer_config"]["hosts"][0]
    assert host["address"] == "redis://127.0.0.1:6379/3"
    assert host["socket_timeout"] is None and host["socket_keepalive"] is True
    assert (loaded["edit_window"], loaded["rate"]) == (60, 5)


def test_the_redis_list_layer_can_be_chosen():
    """CHANNEL_LAYER_BACKEND=lists: channels-redis's queueing layer with chosen limits."""
    loaded = settings_with(REDIS_URL="redis://127.0.0.1:6379/3", CHANNEL_LAYER_BACKEND="lists")
    assert loaded["layer"] == "channels_redis.core.RedisChannelLayer"
    assert loaded["layer_config"]["hosts"][0]["socket_timeout"] is None
    assert loaded["layer_config"]["capacity"] >= 100 and loaded["layer_config"]["expiry"] >= 60
    assert "CHANNEL_LAYER_BACKEND" in load_settings(CHANNEL_LAYER_BACKEND="kafka").stderr


def test_refuses_the_development_key_without_debug():
    """DEBUG off with the built-in key stops the process with an explanation."""
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert settings_with(DEBUG="0", SECRET_KEY="x" * 50)["debug"] is False


def test_malformed_values_name_the_variable(monkeypatch):
    """A bad value fails at start-up with the variable's name, not later."""
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    monkeypatch.setenv("X_LOW", "0")
    monkeypatch.setenv("X_FLOAT", "nan")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", True)
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_LOW", 5, minimum=1)
    with pytest.raises(ImproperlyConfigured, match="X_FLOAT"):
        env_float("X_FLOAT", 1.0)
    monkeypatch.setenv("X_CHOICE", "disk")
    with pytest.raises(ImproperlyConfigured, match="X_CHOICE must be one of memory, redis"):
        env_choice("X_CHOICE", "memory", ("memory", "redis"))
    result = load_settings(GATEWAY_MAX_TEXT_CHARS="lots")
    assert result.returncode != 0 and "GATEWAY_MAX_TEXT_CHARS" in result.stderr


def test_readers_parse_the_usual_spellings(monkeypatch):
    """Booleans accept 1/0, yes/no, on/off; lists are comma-separated and trimmed."""
    for raw, expected in [("1", True), ("YES", True), ("off", False), ("", False)]:
        monkeypatch.setenv("X_BOOL", raw)
        assert env_bool("X_BOOL", not expected) is expected
    monkeypatch.setenv("X_LIST", " chat.example.com, ,127.0.0.1 ")
    assert env_list("X_LIST", []) == ["chat.example.com", "127.0.0.1"]
    monkeypatch.delenv("X_LIST")
    assert env_list("X_LIST", ["a"]) == ["a"]


def test_the_split_window_store_follows_redis_url_unless_told_otherwise():
    assert settings_with()["window"] == ["auto", "chatgateway:window"]
    assert settings_with(REDIS_URL="redis://127.0.0.1:6379/3", GATEWAY_WINDOW_STORE=" Memory",
                         CHANNEL_LAYER_PREFIX="blue")["window"] == ["memory", "blue:window"]
    for bad, named in [("disk", "GATEWAY_WINDOW_STORE must be one of auto, memory, redis"),
                       ("redis", "GATEWAY_WINDOW_STORE=redis needs REDIS_URL")]:
        result = load_settings(GATEWAY_WINDOW_STORE=bad)
        assert result.returncode != 0 and named in result.stderr



def test_the_asgi_application_builds_the_engine_and_freezes_what_start_up_built():
    """Django, the URL conf and the engine are left out of garbage collections."""
    import gc
    import importlib

    from messaging import redactor

    redactor.reset_redactor()
    gc.unfreeze()
    importlib.reload(importlib.import_module("chatgateway.asgi"))

    assert redactor._engines  # built at start-up, not by the first message
    assert gc.get_freeze_count() > 0
