"""Configuration: the one place that reads the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any, Mapping

REAL_LINE_API = "https://api.line.me"
REAL_LINE_DATA_API = "https://api-data.line.me"  # uploads and downloads (rich menu images)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _database_url_from_env() -> str:
    # A Config made in code (the command line, benchmarks, tests) follows the deployment's DATABASE_URL
    # too, so one variable moves every process, and the whole test suite, onto PostgreSQL.
    return os.environ.get("DATABASE_URL", "")


@dataclass(frozen=True)
class Config:
    """Settings for one deployment; built from the environment or passed by tests."""

    line_channel_secret: str = ""
    line_channel_access_token: str = ""
    # The default channel's bot user id (the webhook's `destination`); optional (bot/offices.py).
    line_channel_destination: str = ""
    # Several offices in one deployment (bot/offices.py); "" serves knowledge/office.yaml alone.
    offices_file: str = ""
    line_api_base_url: str = REAL_LINE_API
    database_path: str = "data/bot.sqlite3"
    database_url: str = field(default_factory=_database_url_from_env)
    database_pool_size: int = 10
    secret_key: str = ""
    office_timezone: str = "Asia/Taipei"
    port: int = 8000
    staff_api_token: str = ""
    staff_line_group_id: str = ""
    quiet_hours: str = "21:00-08:00"
    reminder_tick_seconds: int = 30
    pickup_reminder_days: str = "3,7"
    line_monthly_quota: int = 0
    message_log_retention_days: int = 180
    conversation_timeout_minutes: int = 15
    booking_days_ahead: int = 7
    knowledge_path: str = ""
    simulator: bool = False
    line_timeout_seconds: float = 5.0
    extra: Mapping[str, Any] = field(default_factory=dict)
    outbox_max_attempts: int = 10
    # Staff inbox (issue 6): working days to answer per thread type, the time of day deadlines fall at,
    # login lockout, session length, calendar corrections.
    inbox_due_days: str = ""  # "complaint=10": overrides handlers/inbox/kinds.py
    inbox_due_time: str = "17:00"
    staff_max_login_failures: int = 5
    staff_lockout_minutes: int = 15
    staff_session_hours: int = 8
    # Sign-in limits (issue 10): the lock doubles up to a ceiling; per address and per username an hour.
    staff_lockout_max_hours: int = 24
    staff_address_max_failures: int = 30
    staff_username_max_failures: int = 100
    staff_username_slow_seconds: int = 60
    # Case lookups (issue 10): failures an hour per LINE user, per case (all users) and for everyone.
    lookup_max_failures_per_user: int = 5
    lookup_user_lockout_minutes: int = 60
    lookup_max_failures_per_case: int = 10
    lookup_case_lockout_minutes: int = 60
    lookup_max_failures_global: int = 200
    makeup_workdays: str = ""
    extra_holidays: str = ""
    # Counter appointments (issue 5): the rules data file (default knowledge/booking_rules.yaml).
    booking_rules_path: str = ""
    trusted_proxies: int = 0
    # Retention (issue 10): days each kind of personal data is kept (README "Privacy"); 0 keeps it forever.
    retention_closed_thread_days: int = 365
    retention_faq_log_days: int = 180
    retention_booking_days: int = 365
    retention_inactive_user_days: int = 365
    retention_survey_days: int = 365
    retention_finished_case_days: int = 180
    retention_case_lookup_days: int = 30
    retention_conversation_days: int = 1
    retention_audit_days: int = 730
    retention_login_attempt_days: int = 90
    retention_inbound_event_days: int = 2
    # Acknowledge first (issue 16): LINE honours a reply token for one minute after the webhook
    # ("use within one minute"; later use is not guaranteed), so after this many seconds we push instead.
    reply_token_seconds: float = 50.0
    inbound_lease_seconds: float = 30.0
    # An accepted event nobody has started after this long lost its thread (a killed worker): take it over.
    inbound_takeover_seconds: float = 5.0
    # Rich menu (issue 13): LINE's data API (image uploads) and the font for the menu's picture.
    line_api_data_base_url: str = REAL_LINE_DATA_API
    richmenu_font: str = ""

    @property
    def has_line_credentials(self) -> bool:
        return bool(self.line_channel_secret and self.line_channel_access_token)

    def with_(self, **changes: Any) -> "Config":
        """A copy with some settings changed (tests and the simulator use it)."""
        return replace(self, **changes)


_ENV_NAMES = {
    "line_channel_secret": "LINE_CHANNEL_SECRET",
    "line_channel_access_token": "LINE_CHANNEL_ACCESS_TOKEN",
    "line_channel_destination": "LINE_CHANNEL_DESTINATION",
    "offices_file": "OFFICES_FILE",
    "line_api_base_url": "LINE_API_BASE_URL",
    "database_path": "DATABASE_PATH",
    "database_url": "DATABASE_URL",
    "database_pool_size": "DATABASE_POOL_SIZE",
    "secret_key": "SECRET_KEY",
    "office_timezone": "OFFICE_TIMEZONE",
    "port": "PORT",
    "staff_api_token": "STAFF_API_TOKEN",
    "staff_line_group_id": "STAFF_LINE_GROUP_ID",
    "quiet_hours": "QUIET_HOURS",
    "reminder_tick_seconds": "REMINDER_TICK_SECONDS",
    "pickup_reminder_days": "PICKUP_REMINDER_DAYS",
    "line_monthly_quota": "LINE_MONTHLY_QUOTA",
    "message_log_retention_days": "MESSAGE_LOG_RETENTION_DAYS",
    "conversation_timeout_minutes": "CONVERSATION_TIMEOUT_MINUTES",
    "booking_days_ahead": "BOOKING_DAYS_AHEAD",
    "knowledge_path": "KNOWLEDGE_PATH",
    "outbox_max_attempts": "OUTBOX_MAX_ATTEMPTS",
    "inbox_due_days": "INBOX_DUE_DAYS",
    "inbox_due_time": "INBOX_DUE_TIME",
    "staff_max_login_failures": "STAFF_MAX_LOGIN_FAILURES",
    "staff_lockout_minutes": "STAFF_LOCKOUT_MINUTES",
    "staff_session_hours": "STAFF_SESSION_HOURS",
    "staff_lockout_max_hours": "STAFF_LOCKOUT_MAX_HOURS",
    "staff_address_max_failures": "STAFF_ADDRESS_MAX_FAILURES",
    "staff_username_max_failures": "STAFF_USERNAME_MAX_FAILURES",
    "staff_username_slow_seconds": "STAFF_USERNAME_SLOW_SECONDS",
    "lookup_max_failures_per_user": "LOOKUP_MAX_FAILURES_PER_USER",
    "lookup_user_lockout_minutes": "LOOKUP_USER_LOCKOUT_MINUTES",
    "lookup_max_failures_per_case": "LOOKUP_MAX_FAILURES_PER_CASE",
    "lookup_case_lockout_minutes": "LOOKUP_CASE_LOCKOUT_MINUTES",
    "lookup_max_failures_global": "LOOKUP_MAX_FAILURES_GLOBAL",
    "makeup_workdays": "MAKEUP_WORKDAYS",
    "extra_holidays": "EXTRA_HOLIDAYS",
    "booking_rules_path": "BOOKING_RULES_PATH",
    "trusted_proxies": "TRUSTED_PROXIES",
    "simulator": "SIMULATOR",
    "retention_closed_thread_days": "RETENTION_CLOSED_THREAD_DAYS",
    "retention_faq_log_days": "RETENTION_FAQ_LOG_DAYS",
    "retention_booking_days": "RETENTION_BOOKING_DAYS",
    "retention_inactive_user_days": "RETENTION_INACTIVE_USER_DAYS",
    "retention_survey_days": "RETENTION_SURVEY_DAYS",
    "retention_finished_case_days": "RETENTION_FINISHED_CASE_DAYS",
    "retention_case_lookup_days": "RETENTION_CASE_LOOKUP_DAYS",
    "retention_conversation_days": "RETENTION_CONVERSATION_DAYS",
    "retention_audit_days": "RETENTION_AUDIT_DAYS",
    "retention_login_attempt_days": "RETENTION_LOGIN_ATTEMPT_DAYS",
    "retention_inbound_event_days": "RETENTION_INBOUND_EVENT_DAYS",
    "reply_token_seconds": "REPLY_TOKEN_SECONDS",
    "inbound_lease_seconds": "INBOUND_LEASE_SECONDS",
    "inbound_takeover_seconds": "INBOUND_TAKEOVER_SECONDS",
    "line_api_data_base_url": "LINE_API_DATA_BASE_URL",
    "richmenu_font": "RICHMENU_FONT",
}


def config_from_env(environ: Mapping[str, str] | None = None) -> Config:
    """Build a Config from environment variables, falling back to defaults."""
    env = os.environ if environ is None else environ
    defaults = Config()
    values: dict[str, Any] = {}
    for f in fields(Config):
        name = _ENV_NAMES.get(f.name)
        if name is None or name not in env:
            continue
        raw = env[name]
        default = getattr(defaults, f.name)
        if isinstance(default, bool):
            values[f.name] = raw.lower() in ("1", "true", "yes")
        elif isinstance(default, int):
            values[f.name] = _int(raw, default)
        elif isinstance(default, float):
            values[f.name] = float(raw or default)
        else:
            values[f.name] = raw
    values.setdefault("database_url", "")  # the mapping given decides, not this process's environment
    if not values.get("line_api_base_url"):
        values["line_api_base_url"] = REAL_LINE_API
    if not values.get("line_api_data_base_url"):
        values["line_api_data_base_url"] = REAL_LINE_DATA_API
    return replace(defaults, **values)
