"""The app factory: reads configuration once and wires the store, the matcher and the LINE client."""
from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.offices import OfficesError
from bot.config import Config, config_from_env
from bot.masking import install_log_masking
from bot import registry
from bot import services as kernel_services
from bot.services import Services

__all__ = ["ConfigError", "Services", "build_services", "create_app"]

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "::1")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def build_services(config: Config, **overrides: Any) -> Services:
    """Everything but Flask, with every feature (bot/registry.py): also used by the clock and the CLI.

    build_matcher=False (the clock, the command line) leaves the matcher, most of a process's
    memory, to be built on first use.
    """
    return kernel_services.build_services(config, dispatcher=registry.dispatcher(), jobs=registry.all_jobs(),
                                          store_parts=registry.store_parts(), **overrides)


class ConfigError(Exception):
    """The deployment is not configured well enough to start safely."""


class SessionsOffTheWebhook(SecureCookieSessionInterface):
    """LINE's webhook and the health check carry no cookie: skip building a signed session for each call."""

    def open_session(self, app: Flask, request: Request) -> Any:
        if request.path in ("/callback", "/healthz"):
            return None
        return super().open_session(app, request)


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the Flask app; tests pass their own config and services (clock, store, line, fake_line).

    Without both LINE credentials it refuses to start (ConfigError naming what is missing), unless the
    simulator was asked for explicitly (`python -m bot serve` with no credentials, or SIMULATOR=1).
    """
    config = config or config_from_env()
    fake_line = overrides.pop("fake_line", None)
    if config.simulator:
        config, fake_line = _simulator_config(config, fake_line)
    elif not config.has_line_credentials:
        raise ConfigError(missing_credentials_message(config))
    if config.database_url and not config.secret_key:
        # A key generated on each machine would sign sessions that the other machines refuse.
        raise ConfigError("SECRET_KEY is required with DATABASE_URL (every web machine must sign sessions "
                          "with the same key).")
    try:
        services = build_services(config, fake_line=fake_line, **overrides)
    except OfficesError as exc:
        raise ConfigError(str(exc)) from None

    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.config.update(
        SECRET_KEY=config.secret_key or _stored_secret_key(config.database_path),
        MAX_CONTENT_LENGTH=1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not config.simulator,
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.extensions["services"] = services
    install_log_masking()
    app.session_interface = SessionsOffTheWebhook()
    if config.trusted_proxies:
        # Behind a platform router the client address is in X-Forwarded-For (login lockout by address needs it).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies, x_proto=config.trusted_proxies)
    csrf = CSRFProtect(app)
    app.after_request(_security_headers)

    from bot import health, simulator, webhook
    from bot.staff import staff_blueprint

    app.register_blueprint(health.bp)
    app.register_blueprint(webhook.bp)
    csrf.exempt(webhook.bp)
    for web in registry.web_routes():
        app.register_blueprint(web.blueprint)
        if web.csrf_exempt:
            csrf.exempt(web.blueprint)
    app.register_blueprint(staff_blueprint(registry.staff_pages()))
    if config.simulator:
        # The simulator's channel secret and pages speak as any citizen: only this machine may use them.
        app.before_request(_loopback_only)
        app.register_blueprint(simulator.bp)
        csrf.exempt(simulator.bp)
    return app


def missing_credentials_message(config: Config) -> str:
    """One line naming the LINE settings that are not set."""
    missing = [name for name, value in (("LINE_CHANNEL_SECRET", config.line_channel_secret),
                                        ("LINE_CHANNEL_ACCESS_TOKEN", config.line_channel_access_token))
               if not value]
    return (f"{' and '.join(missing)} not set: the bot cannot answer LINE without "
            f"{'them' if len(missing) > 1 else 'it'}. Set {'them' if len(missing) > 1 else 'it'}, or run "
            "`python -m bot serve` with no LINE credentials (or SIMULATOR=1) for the local simulator.")


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _loopback_only() -> Response | None:
    """Refuse every client but this machine (the address before any proxy rewrote it)."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {}).get("REMOTE_ADDR")
    address = original or request.environ.get("REMOTE_ADDR", "")
    if address not in LOOPBACK and not address.startswith("127."):
        log.warning("simulator mode: refused a request from a non-loopback address")
        return Response("The simulator answers this machine only.\n", status=403, mimetype="text/plain")
    return None


def _simulator_config(config: Config, fake_line: Any) -> tuple[Config, Any]:
    """No LINE credentials: talk to a local fake LINE API and serve the chat simulator."""
    from bot.fake_line import FakeLineApi

    if fake_line is None:
        fake_line = FakeLineApi().start()
    # Fresh secrets per start: nothing public can sign a webhook the simulator accepts.
    config = config.with_(
        simulator=True,
        line_channel_secret=secrets.token_urlsafe(32),
        line_channel_access_token=secrets.token_urlsafe(32),
        line_api_base_url=fake_line.url,
        line_api_data_base_url=fake_line.url,
    )
    return config, fake_line


def _stored_secret_key(database_path: str) -> str:
    """A secret kept beside the database, so every worker signs sessions alike without extra setup.

    Written whole to a private temporary file and then linked into place: link() never replaces an
    existing file, so workers starting together all end up reading the one key that won, never a
    half-written or empty one.
    """
    if database_path == ":memory:":
        return secrets.token_hex(32)
    path = Path(database_path).parent / ".secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    key = path.read_text().strip() if path.exists() else ""
    if key:
        return key
    fd, temporary = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            if not path.read_text().strip():
                os.replace(temporary, path)  # an empty key left by an older version
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path.read_text().strip()
