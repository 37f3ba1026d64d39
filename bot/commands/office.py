"""`python -m bot office show|set|clear`: the office details answers give (address, phone, hours, map...)."""
from __future__ import annotations

import argparse
import sys



def register(verbs: argparse._SubParsersAction) -> None:
    from knowledge.office_fields import FIELDS

    names = [f.name for f in FIELDS]
    office = verbs.add_parser("office", help="the office's details: show them, or confirm one field",
                              description="Confirmed values override knowledge/office.yaml at once; a field never "
                                          "confirmed keeps saying 請以官網公告為準.")
    actions = office.add_subparsers(dest="office_action", metavar="ACTION")
    actions.required = True

    show = actions.add_parser("show", help="every field: the confirmed value (who, when) or office.yaml's text")
    show.set_defaults(run=run_show)

    formats = "; ".join(f"{f.name}: {f.hint}" for f in FIELDS)
    set_ = actions.add_parser("set", help="validate and confirm one field", description=f"Formats: {formats}")
    set_.add_argument("field", choices=names, metavar="FIELD", help=", ".join(names))
    set_.add_argument("value", metavar="VALUE")
    set_.add_argument("--by", default="cli", help="who confirmed it, for the audit log (default cli)")
    set_.set_defaults(run=run_set)

    clear = actions.add_parser("clear", help="forget a confirmed field (answers point to the website again)")
    clear.add_argument("field", choices=names, metavar="FIELD")
    clear.set_defaults(run=run_clear)


def _store(args: argparse.Namespace):  # noqa: ANN202 - bot.store.Store
    # The command line opens the store with every feature's tables (bot/cli.py sets args.open_store).
    store = args.open_store()
    store.migrate()
    return store


def run_show(args: argparse.Namespace) -> int:
    from knowledge.loader import load_office
    from knowledge.office_fields import FIELDS, shown_value

    store = _store(args)
    try:
        current = store.office.current(load_office(store.config.knowledge_path or None))
        confirmed = store.office.confirmations()
        for field in FIELDS:
            c = confirmed.get(field.name)
            if c:
                print(f"{field.name}\t{c.value}\t(confirmed by {c.confirmed_by}, {c.confirmed_at})")
            else:
                print(f"{field.name}\t{shown_value(current, field.name)}\t(not confirmed: office.yaml)")
    finally:
        store.close()
    return 0


def run_set(args: argparse.Namespace) -> int:
    from knowledge.office_fields import BY_NAME, InvalidValue

    store = _store(args)
    try:
        stored = store.office.set(args.field, args.value, args.by)
    except InvalidValue as exc:
        print(f"{args.field} not saved / 沒有儲存：{exc}\nformat / 格式：{BY_NAME[args.field].hint}", file=sys.stderr)
        return 1
    else:
        store.audit.record(args.by, "office_set", args.field, stored)
        print(f"{args.field} = {stored}")
        return 0
    finally:
        store.close()


def run_clear(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        if store.office.clear(args.field):
            store.audit.record("cli", "office_clear", args.field)
            print(f"{args.field} cleared: answers use office.yaml again")
        else:
            print(f"{args.field} was not confirmed")
    finally:
        store.close()
    return 0
