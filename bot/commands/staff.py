"""`python -m bot staff add|list|disable|enable|password|signout`: staff accounts for the staff web."""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from bot.offices import OfficesError, load_offices


def register(verbs: argparse._SubParsersAction) -> None:
    staff = verbs.add_parser("staff", help="staff web accounts")
    actions = staff.add_subparsers(dest="staff_action", metavar="ACTION")
    actions.required = True

    add = actions.add_parser("add", help="create an account (password from a prompt, or one line on stdin)")
    add.add_argument("username")
    add.add_argument("--admin", action="store_true", help="may manage accounts and read the audit log")
    add.add_argument("--name", default="", help="display name, e.g. 王小明")
    add.add_argument("--office", default="", metavar="ID",
                     help="the one office (an OFFICES_FILE id) this account sees; without it: every office")
    add.set_defaults(run=run_add)

    listing = actions.add_parser("list", help="list accounts")
    listing.set_defaults(run=run_list)

    for name, helptext in (("disable", "disable an account (its sessions end at once)"),
                           ("enable", "enable a disabled account")):
        p = actions.add_parser(name, help=helptext)
        p.add_argument("username")
        p.set_defaults(run=run_set_active, active=name == "enable")

    password = actions.add_parser("password", help="set a new password (from a prompt or stdin)")
    password.add_argument("username")
    password.set_defaults(run=run_password)

    signout = actions.add_parser("signout", help="end every session of an account on every device")
    signout.add_argument("username")
    signout.set_defaults(run=run_signout)


def _store(args: argparse.Namespace):  # noqa: ANN202 - bot.store.Store
    # The command line opens the store with every feature's tables (bot/cli.py sets args.open_store).
    store = args.open_store()
    store.migrate()
    return store


def read_password(stdin=None) -> str:  # noqa: ANN001
    """Twice from a hidden prompt on a terminal; otherwise the first line of stdin (for scripts)."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass("密碼 Password: ")
        if first != getpass.getpass("再輸入一次 Again: "):
            raise ValueError("兩次輸入的密碼不一致 / the passwords differ")
        return first
    return stdin.readline().rstrip("\r\n")


def _office_of(store: Any, username: str) -> str:
    """The stored office id of an account's office ("" for the first office and city-wide), for the audit log."""
    account = store.staff.by_username(username)
    if account is None or not account.office_id:
        return ""
    try:
        offices = load_offices(store.config)
    except OfficesError:
        return account.office_id  # the file cannot be read now; the id still says which office
    return offices.stored_id(offices.office(account.office_id))


def run_add(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.office:
        try:
            known = [o.id for o in load_offices(store.config).offices]
        except OfficesError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        if args.office not in known:
            print(f"error: no office {args.office!r} (OFFICES_FILE has: {', '.join(known)})", file=sys.stderr)
            return 1
    try:
        account = store.staff.add(args.username, read_password(), admin=args.admin, display_name=args.name,
                                  office_id=args.office)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    store.audit.record("cli", "account_add", account.username,
                       "、".join(filter(None, ("管理員" if account.is_admin else "", account.office_id))),
                       office_id=_office_of(store, account.username))
    where = f" for office {account.office_id}" if account.office_id else ""
    print(f"created {'admin ' if account.is_admin else ''}account {account.username}{where}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = _store(args)
    accounts = store.staff.all()
    if not accounts:
        print("no accounts yet: python -m bot staff add USERNAME --admin")
        return 0
    for a in accounts:
        flags = ",".join(f for f, on in (("admin", a.is_admin), ("disabled", not a.active)) if on) or "-"
        print(f"{a.username}\t{a.display_name or '-'}\t{flags}\toffice {a.office_id or 'all'}\t"
              f"last login {a.last_login_at or 'never'}")
    return 0


def run_set_active(args: argparse.Namespace) -> int:
    store = _store(args)
    if not store.staff.set_active(args.username, args.active):
        print(f"error: no account {args.username}", file=sys.stderr)
        return 1
    store.audit.record("cli", "account_enable" if args.active else "account_disable", args.username,
                       office_id=_office_of(store, args.username))
    print(f"{'enabled' if args.active else 'disabled'} {args.username}")
    return 0


def run_password(args: argparse.Namespace) -> int:
    store = _store(args)
    if store.staff.by_username(args.username) is None:
        print(f"error: no account {args.username}", file=sys.stderr)
        return 1
    try:
        store.staff.set_password(args.username, read_password())
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    store.audit.record("cli", "account_password", args.username, office_id=_office_of(store, args.username))
    print(f"password changed for {args.username}")
    return 0


def run_signout(args: argparse.Namespace) -> int:
    store = _store(args)
    if not store.staff.sign_out_everywhere(args.username):
        print(f"error: no account {args.username}", file=sys.stderr)
        return 1
    store.audit.record("cli", "account_signout", args.username, office_id=_office_of(store, args.username))
    print(f"signed out {args.username} everywhere")
    return 0
