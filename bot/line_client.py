"""The LINE Messaging API, through line-bot-sdk v3, with errors we can act on.

Reply and push go through the SDK's ApiClient.call_api with the message dicts we already have
(bot/messages.py builds them in the API's JSON shape): building the SDK's pydantic request models
for every reply cost about two thirds of a call's CPU (benchmarks/README.md has the profile).
Configuration, auth, transport and errors stay the SDK's own; rarer calls use MessagingApi.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from linebot.v3.messaging import (ApiClient, Configuration, MessagingApi, MessagingApiBlob,
                                  ShowLoadingAnimationRequest)
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from bot.messages import Message

log = logging.getLogger(__name__)

MAX_MESSAGES_PER_CALL = 5


class LineApiError(Exception):
    """A call to LINE failed; status 0 means no HTTP answer (down, time-out)."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(f"LINE API error {status}: {detail[:200]}")
        self.status = status
        self.detail = detail

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status == 429 or self.status >= 500


class ReplyTokenRejected(LineApiError):
    """The reply token was used, expired or unknown: push instead."""


class LineClient:
    """One API client per process, made on first use so it is never shared across a fork."""

    def __init__(self, base_url: str, access_token: str, timeout: float = 5.0,
                 data_base_url: str = "https://api-data.line.me") -> None:
        self.base_url = base_url.rstrip("/")
        self.data_base_url = data_base_url.rstrip("/")
        self.access_token = access_token
        self.timeout = timeout
        self._pid: int | None = None
        self._api: MessagingApi | None = None
        self._blob: MessagingApiBlob | None = None
        self._blob_pid: int | None = None

    @property
    def api(self) -> MessagingApi:
        if self._api is None or self._pid != os.getpid():
            configuration = Configuration(host=self.base_url, access_token=self.access_token)
            # The outbox does its own retries with a retry key; urllib3's silent ones would hide failures.
            configuration.retries = 0
            self._api = MessagingApi(ApiClient(configuration))
            self._pid = os.getpid()
        return self._api

    @property
    def blob(self) -> MessagingApiBlob:
        """LINE's data API (another host): uploads such as rich menu images."""
        if self._blob is None or self._blob_pid != os.getpid():
            configuration = Configuration(host=self.data_base_url, access_token=self.access_token)
            configuration.retries = 0
            self._blob = MessagingApiBlob(ApiClient(configuration))
            self._blob_pid = os.getpid()
        return self._blob

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        self.api.api_client.call_api(
            path, "POST", header_params={"Content-Type": "application/json", **(headers or {})}, body=body,
            response_types_map={}, auth_settings=["Bearer"], _return_http_data_only=True,
            _request_timeout=self.timeout,
        )

    def reply(self, reply_token: str, messages: list[Message]) -> None:
        try:
            self._post("/v2/bot/message/reply",
                       {"replyToken": reply_token, "messages": messages[:MAX_MESSAGES_PER_CALL]})
        except ApiException as exc:
            body = _body(exc)
            if exc.status == 400 and "reply token" in body.lower():
                raise ReplyTokenRejected(400, body) from None
            raise LineApiError(exc.status or 0, body) from None
        except (HTTPError, OSError) as exc:
            raise LineApiError(0, type(exc).__name__) from None

    def push(self, to: str, messages: list[Message], retry_key: str | None = None) -> bool:
        """Push messages; False when LINE says this retry key was already accepted (409)."""
        headers = {"X-Line-Retry-Key": retry_key} if retry_key else None
        try:
            self._post("/v2/bot/message/push", {"to": to, "messages": messages[:MAX_MESSAGES_PER_CALL]}, headers)
            return True
        except ApiException as exc:
            if exc.status == 409:
                return False
            raise LineApiError(exc.status or 0, _body(exc)) from None
        except (HTTPError, OSError) as exc:
            raise LineApiError(0, type(exc).__name__) from None

    def show_loading(self, chat_id: str, seconds: int = 5) -> None:
        """LINE's typing animation before something slow; failure here never matters."""
        try:
            self.api.show_loading_animation(
                ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds),
                _request_timeout=self.timeout,
            )
        except Exception as exc:  # noqa: BLE001 - cosmetic call
            log.debug("loading animation failed: %s", type(exc).__name__)

    def display_name(self, user_id: str) -> str | None:
        try:
            return self.api.get_profile(user_id, _request_timeout=self.timeout).display_name
        except Exception as exc:  # noqa: BLE001 - a missing name is fine
            log.info("profile lookup failed: %s", type(exc).__name__)
            return None


def _body(exc: ApiException) -> str:
    body: Any = exc.body
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    return str(body or exc.reason or "")
