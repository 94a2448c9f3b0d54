import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cinescent.env import (
    DEV_SECRET_KEY,
    database_from_url,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    require_safe_secret,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw", ["flase", "2", "maybe", "ture"])
def test_env_bool_rejects_values_that_are_not_booleans(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


@pytest.mark.parametrize("raw,expected", [("true", True), ("YES", True), ("0", False), ("off", False), ("", True)])
def test_env_bool_reads_the_usual_spellings_and_keeps_the_default_for_empty(monkeypatch, raw, expected):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG", True) is expected


def test_env_int_rejects_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("X_INT", "two")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "-5")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("X_INT", 1, minimum=0)


def test_env_float_and_list_parse_and_reject(monkeypatch):
    monkeypatch.setenv("X_FLOAT", "1.5")
    assert env_float("X_FLOAT", 0.0) == 1.5
    monkeypatch.setenv("X_FLOAT", "fast")
    with pytest.raises(ImproperlyConfigured):
        env_float("X_FLOAT", 0.0)
    monkeypatch.setenv("X_LIST", " a, b ,,c ")
    assert env_list("X_LIST", []) == ["a", "b", "c"]


def test_env_choice_keeps_the_default_and_rejects_other_values(monkeypatch):
    assert env_choice("X_CHOICE", "a", ("a", "b")) == "a"
    monkeypatch.setenv("X_CHOICE", "b")
    assert env_choice("X_CHOICE", "a", ("a", "b")) == "b"
    monkeypatch.setenv("X_CHOICE", "c")
    with pytest.raises(ImproperlyConfigured, match="X_CHOICE='c' is not one of a, b"):
        env_choice("X_CHOICE", "a", ("a", "b"))


def test_the_dev_secret_key_is_refused_when_debug_is_off():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        require_safe_secret(debug=False, secret_key=DEV_SECRET_KEY)
    with pytest.raises(ImproperlyConfigured, match="32 characters"):
        require_safe_secret(debug=False, secret_key="short")
    require_safe_secret(debug=False, secret_key="x" * 40)
    require_safe_secret(debug=True, secret_key=DEV_SECRET_KEY)


def test_database_url_parsing_handles_sockets_and_rejects_other_engines():
    socket = database_from_url("postgresql://postgres:@/cine?host=/tmp/pg")
    assert (socket["NAME"], socket["HOST"], socket["USER"]) == ("cine", "/tmp/pg", "postgres")
    tcp = database_from_url("postgres://u:p%40ss@db.example:5433/cine")
    assert (tcp["HOST"], tcp["PORT"], tcp["PASSWORD"]) == ("db.example", "5433", "p@ss")
    with pytest.raises(ImproperlyConfigured, match="postgresql://"):
        database_from_url("mysql://u@h/db")
    with pytest.raises(ImproperlyConfigured, match="no database name"):
        database_from_url("postgresql://u@h/")


def test_the_site_refuses_to_start_with_debug_off_and_the_dev_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_DEBUG="false", DJANGO_SETTINGS_MODULE="cinescent.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_malformed_debug_flag_stops_start_up():
    env = dict(os.environ, DJANGO_DEBUG="flase", DJANGO_SETTINGS_MODULE="cinescent.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG='flase' is not a boolean" in result.stderr
