"""Configuration from the environment, and the command line's verbs."""
from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import REAL_LINE_API, config_from_env
from tests.live import ROOT


def test_config_defaults_to_the_real_line_api_and_a_local_database():
    config = config_from_env({})
    assert config.line_api_base_url == REAL_LINE_API
    assert config.database_path == "data/bot.sqlite3"
    assert config.office_timezone == "Asia/Taipei"
    assert not config.has_line_credentials


def test_config_reads_every_contract_variable():
    config = config_from_env({
        "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_BASE_URL": "http://127.0.0.1:9",
        "DATABASE_PATH": "/tmp/x.sqlite3", "SECRET_KEY": "k", "PORT": "5001", "OFFICE_TIMEZONE": "Asia/Taipei",
    })
    assert (config.line_channel_secret, config.line_channel_access_token) == ("s", "t")
    assert config.line_api_base_url == "http://127.0.0.1:9" and config.port == 5001
    assert config.database_path == "/tmp/x.sqlite3" and config.secret_key == "k"


def test_importing_the_app_touches_nothing(tmp_path):
    code = "import bot, bot.app, handlers, reminders; import os; print(os.listdir('.'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def run_cli(*args: str, env: dict | None = None, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def verb_paths(parser, prefix=()):
    """Every verb and sub-verb of the command line, e.g. ("cases", "import")."""
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from verb_paths(sub, (*prefix, name))


@pytest.mark.no_database("argparse help of every verb")
def test_every_verb_has_help():
    from bot.cli import build_parser

    paths = list(verb_paths(build_parser()))
    assert ("serve",) in paths and ("init-db",) in paths
    for path in paths:
        result = run_cli(*path, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout, path


def test_init_db_creates_the_database(tmp_path):
    import os

    db = tmp_path / "data" / "bot.sqlite3"
    result = run_cli("init-db", env={**os.environ, "DATABASE_PATH": str(db)})
    assert result.returncode == 0, result.stderr
    assert db.exists() != bool(os.environ.get("DATABASE_URL"))  # PostgreSQL: no SQLite file is made
