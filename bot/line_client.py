"""The LINE Messaging API, through line-bot-sdk v3, with errors we can act on.

Reply and push, the calls made for every event, post the message dicts we already have (bot/messages.py
builds them in the API's JSON shape) as orjson bytes through one keep-alive urllib3 PoolManager (its pool for
LINE's host, found once), the same transport the SDK uses underneath: building the SDK's pydantic request
models cost about two thirds of a call's CPU, and its ApiClient.call_api still spent about as much again
walking the dicts (sanitize_for_serialization) and assembling the request (benchmarks/README.md has the
profiles). The
headers, TLS checks and error statuses are the SDK's; rarer calls use the SDK's MessagingApi.
"""
from __future__ import annotations

import json
import logging
import os
import ssl
from typing import Any

import orjson
import urllib3
from linebot import __version__ as SDK_VERSION
from linebot.v3.messaging import (ApiClient, Configuration, MessagingApi, MessagingApiBlob,
                                  ShowLoadingAnimationRequest)
from urllib3.exceptions import HTTPError

from bot.messages import Message

log = logging.getLogger(__name__)

MAX_MESSAGES_PER_CALL = 5
# Keep-alive connections to LINE per process: one for each thread that may send at once (gunicorn --threads 8,
# the sweeper, the outbox); beyond it a connection is opened for the call and closed after, never waited for.
POOL_CONNECTIONS = 16


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
        self._pool: urllib3.PoolManager | None = None
        self._pool_pid: int | None = None
        self._origin_pool: urllib3.HTTPConnectionPool | None = None
        self._origin_for: urllib3.PoolManager | None = None
        self._prefix = urllib3.util.parse_url(self.base_url).path or ""
        self._timeout = urllib3.Timeout(total=timeout)
        self._headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json",
                         "Accept": "application/json", "User-Agent": f"line-bot-sdk-python/{SDK_VERSION}"}

    @property
    def pool(self) -> urllib3.PoolManager:
        """This process's keep-alive connections to LINE (made after a fork, never inherited)."""
        if self._pool is None or self._pool_pid != os.getpid():
            # retries=False: the outbox does its own retries with a retry key; urllib3's would hide failures.
            self._pool = urllib3.PoolManager(num_pools=4, maxsize=POOL_CONNECTIONS, block=False, retries=False,
                                             cert_reqs=ssl.CERT_REQUIRED)
            self._pool_pid = os.getpid()
        return self._pool

    @property
    def _origin(self) -> urllib3.HTTPConnectionPool:
        """The pool's connections to base_url's host, looked up once per process rather than for every call
        (PoolManager.request parses the URL and finds the host's pool each time)."""
        pool = self.pool
        if self._origin_for is not pool:
            self._origin_pool, self._origin_for = pool.connection_from_url(self.base_url), pool
        return self._origin_pool

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

    def _post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, str]:
        """POST JSON; (status, body text) for a 2xx answer, LineApiError otherwise (status 0: no answer)."""
        try:
            data = orjson.dumps(body)
        except TypeError:  # something orjson does not write (a model object): the SDK's own serialisation
            data = json.dumps(self.api.api_client.sanitize_for_serialization(body), ensure_ascii=False).encode()
        try:
            response = self._origin.urlopen("POST", self._prefix + path, body=data,
                                            headers={**self._headers, **headers} if headers else self._headers,
                                            timeout=self._timeout, retries=False, redirect=False,
                                            assert_same_host=False)
        except (HTTPError, OSError) as exc:
            raise LineApiError(0, type(exc).__name__) from None
        text = response.data.decode("utf-8", "replace")
        if not 200 <= response.status < 300:
            raise LineApiError(response.status, text or str(response.reason or ""))
        return response.status, text

    def reply(self, reply_token: str, messages: list[Message]) -> None:
        try:
            self._post("/v2/bot/message/reply",
                       {"replyToken": reply_token, "messages": messages[:MAX_MESSAGES_PER_CALL]})
        except LineApiError as exc:
            if exc.status == 400 and "reply token" in exc.detail.lower():
                raise ReplyTokenRejected(400, exc.detail) from None
            raise

    def push(self, to: str, messages: list[Message], retry_key: str | None = None) -> bool:
        """Push messages; False when LINE says this retry key was already accepted (409)."""
        headers = {"X-Line-Retry-Key": retry_key} if retry_key else None
        try:
            self._post("/v2/bot/message/push", {"to": to, "messages": messages[:MAX_MESSAGES_PER_CALL]}, headers)
            return True
        except LineApiError as exc:
            if exc.status == 409:
                return False
            raise

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

