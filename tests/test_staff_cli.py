"""`python -m bot staff ...`: accounts from the command line, passwords from a prompt or stdin."""
from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.commands.staff import read_password
from bot.registry import open_store


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = str(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("DATABASE_PATH", path)
    return path


def run(monkeypatch, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_add_list_disable_enable_and_reset(db, monkeypatch, capsys):
    assert run(monkeypatch, ["staff", "add", "alice", "--admin", "--name", "陳主任"], "alice-pass-123\n") == 0
    assert run(monkeypatch, ["staff", "add", "bob"], "bob-pass-1234\n") == 0
    assert run(monkeypatch, ["staff", "list"]) == 0
    out = capsys.readouterr().out
    assert "alice\t陳主任\tadmin\toffice all" in out and "bob\t-\t-\toffice all" in out
    store = open_store(db)
    assert store.staff.authenticate("alice", "alice-pass-123").ok
    assert run(monkeypatch, ["staff", "disable", "bob"]) == 0
    assert not store.staff.by_username("bob").active
    assert run(monkeypatch, ["staff", "enable", "bob"]) == 0
    assert run(monkeypatch, ["staff", "password", "bob"], "another-pass-99\n") == 0
    assert store.staff.authenticate("bob", "another-pass-99").ok
    assert [e.action for e in store.audit.entries(actor="cli")][::-1] == [
        "account_add", "account_add", "account_disable", "account_enable", "account_password"]


def test_mistakes_are_explained_with_exit_code_1(db, monkeypatch, capsys):
    assert run(monkeypatch, ["staff", "add", "alice"], "short\n") == 1
    assert run(monkeypatch, ["staff", "add", "bad name"], "good-pass-123\n") == 1
    assert run(monkeypatch, ["staff", "add", "carol"], "good-pass-123\n") == 0
    assert run(monkeypatch, ["staff", "add", "CAROL"], "good-pass-123\n") == 1
    assert run(monkeypatch, ["staff", "disable", "nobody"]) == 1
    assert run(monkeypatch, ["staff", "password", "nobody"], "good-pass-123\n") == 1
    err = capsys.readouterr().err
    assert "10" in err and "已存在" in err and "no account nobody" in err


def test_a_terminal_asks_twice_without_echo(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    answers = iter(["secret-pass-1", "secret-pass-1", "secret-pass-1", "different-22"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert read_password(Tty()) == "secret-pass-1"
    with pytest.raises(ValueError):
        read_password(Tty())


def test_list_with_no_accounts_says_how_to_start(db, monkeypatch, capsys):
    assert run(monkeypatch, ["staff", "list"]) == 0
    assert "staff add" in capsys.readouterr().out
