"""serve, init-db and fake-line."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time

from bot.config import config_from_env

log = logging.getLogger(__name__)


def register(verbs: argparse._SubParsersAction) -> None:
    serve = verbs.add_parser("serve", help="run the web app (the chat simulator when no LINE credentials are set)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default $PORT or 8000)")
    serve.set_defaults(run=run_serve)

    init_db = verbs.add_parser("init-db", help="create or upgrade the database (migrations)")
    init_db.set_defaults(run=run_init_db)

    fake = verbs.add_parser("fake-line", help="run a local fake LINE Messaging API (tests and benchmarks)")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=int, default=8090)
    fake.set_defaults(run=run_fake_line)


def run_serve(args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from bot.app import ConfigError, create_app

    config = config_from_env()
    if not config.line_channel_secret and not config.line_channel_access_token:
        config = config.with_(simulator=True)  # how anyone tries the bot: the README's run command
    port = args.port or config.port
    try:
        app = create_app(config)
    except ConfigError as exc:
        print(f"戶政小幫手 refuses to start: {exc}", file=sys.stderr, flush=True)
        return 2
    services = app.extensions["services"]
    if services.config.simulator:
        print(f"Simulator mode (local only: it answers this machine's own requests). "
              f"Open http://127.0.0.1:{port}/simulator/", flush=True)
        _simulated_clock(services)
    else:
        print(f"Webhook at http://{args.host}:{port}/callback", flush=True)
    run_simple(args.host, port, app, threaded=True, use_reloader=False)
    return 0


def _simulated_clock(services) -> None:  # noqa: ANN001
    """In the simulator (one process, no clock process) the reminder jobs tick in a background thread."""
    def loop() -> None:
        while True:
            time.sleep(services.config.reminder_tick_seconds)
            try:
                services.tick(services.store.clock.now())
            except Exception:  # noqa: BLE001
                log.exception("simulated clock tick failed")

    threading.Thread(target=loop, name="simulated-clock", daemon=True).start()


def run_init_db(args: argparse.Namespace) -> int:
    store = args.open_store()
    applied = store.migrate()
    print(f"{store.database.path}: applied migrations {applied or 'none (up to date)'}")  # no password
    store.close()
    return 0


def run_fake_line(args: argparse.Namespace) -> int:
    from bot.fake_line import FakeLineApi

    fake = FakeLineApi(args.host, args.port).start()
    print(f"fake LINE API at {fake.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    fake.stop()
    return 0
