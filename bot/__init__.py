"""戶政小幫手: the LINE bot of a household-registration office."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

# gunicorn stops (instead of starting workers again and again) when a worker exits with this code.
GUNICORN_APP_LOAD_ERROR = 4


def create_app(config: Any = None, **overrides: Any) -> "Flask":
    """The app the Procfile's web process serves (`gunicorn 'bot:create_app()'`).

    Called with no arguments it is the production entry: a missing LINE credential or SIMULATOR=1
    stops the process with one line on stderr, because the web process never serves the simulator.
    """
    from bot.app import ConfigError
    from bot.app import create_app as build
    from bot.config import config_from_env

    if config is not None or overrides:
        return build(config, **overrides)
    config = config_from_env()
    try:
        if config.simulator:
            raise ConfigError("SIMULATOR=1 is for `python -m bot serve` on your own machine; "
                              "the web process never serves the simulator.")
        app = build(config)
    except ConfigError as exc:
        print(f"戶政小幫手 refuses to start: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(GUNICORN_APP_LOAD_ERROR) from None
    _ready_to_fork(app)
    return app


def _ready_to_fork(app: "Flask") -> None:
    """The Procfile preloads the app in gunicorn's master, and the workers are forked from it.

    The master's database connections are closed first (a child must not inherit an SQLite handle or a
    pool's sockets). gc.freeze() moves everything loaded so far (the matcher, jieba's and OpenCC's
    dictionaries) out of the collector's sight, so collections in the workers do not write to those pages
    and they stay shared copy-on-write instead of being copied into every worker.
    """
    import gc

    app.extensions["services"].store.release()
    gc.collect()
    gc.freeze()


__all__ = ["create_app"]
