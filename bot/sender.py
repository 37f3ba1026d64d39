"""The one place that sends replies: reply token first, push when it is rejected, the outbox when LINE is down."""
from __future__ import annotations

import logging
import uuid

from bot.line_client import MAX_MESSAGES_PER_CALL, LineApiError, LineClient, ReplyTokenRejected
from bot.messages import Message
from bot.store import Store

log = logging.getLogger(__name__)


def chunks(messages: list[Message], size: int = MAX_MESSAGES_PER_CALL) -> list[list[Message]]:
    return [messages[i : i + size] for i in range(0, len(messages), size)]


def _retry_key(once_key: str | None, n: int) -> str:
    """A fresh key, or one derived from the event: LINE accepts a retry key once (409 after)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"line-event:{once_key}:{n}")) if once_key else str(uuid.uuid4())


class Sender:
    def __init__(self, line: LineClient, store: Store, channels: dict[str, LineClient] | None = None,
                 channel: str = "line") -> None:
        self.line = line
        self.store = store
        self.channels = channels or {channel: line}
        self.channel = channel

    def for_channel(self, key: str) -> "Sender":
        """The same sender speaking through another LINE channel's client (its own token)."""
        if key == self.channel or key not in self.channels:
            return self
        return Sender(self.channels[key], self.store, self.channels, key)

    def send(self, user_id: str, reply_token: str | None, messages: list[Message], *,
             once_key: str | None = None, resent: bool = False) -> None:
        """Answer an event: the first five messages by reply, the rest (or all, if the token fails) by push.

        once_key (the event id) makes the push retry keys the same on every attempt, so LINE keeps a
        taken-over answer once. resent: a thread may have died after its reply went out; a reply token
        refused while still valid then means it was used, so nothing is pushed.
        """
        if not messages:
            return
        batches = chunks(messages)
        keys = [_retry_key(once_key, n) for n in range(len(batches))]
        if reply_token:
            try:
                self.line.reply(reply_token, batches[0])
                batches, keys = batches[1:], keys[1:]
            except ReplyTokenRejected:
                if resent:
                    log.info("reply token already used; the answer went out before the takeover")
                    batches, keys = batches[1:], keys[1:]
                else:
                    log.info("reply token rejected; pushing instead")
            except LineApiError as exc:
                log.warning("reply failed with %s; queueing as push", exc.status)
                for batch, key in zip(batches, keys):
                    self._queue(user_id, batch, key)
                return
        for batch, key in zip(batches, keys):
            self.push_now(user_id, batch, retry_key=key)

    def push_now(self, user_id: str, messages: list[Message], retry_key: str | None = None) -> None:
        """Push at once; a retryable failure goes to the outbox with the same retry key, so nothing doubles."""
        if not self.store.users.is_active(user_id):
            log.info("not pushing to an inactive user")
            return
        retry_key = retry_key or str(uuid.uuid4())
        try:
            if self.line.push(user_id, messages, retry_key=retry_key):
                self._count_push()
        except LineApiError as exc:
            if exc.retryable:
                self._queue(user_id, messages, retry_key)
            else:
                log.error("push refused by LINE with %s", exc.status)

    def _count_push(self) -> None:
        try:
            self.store.outbox.count_push(channel=self.channel)  # against this channel's own quota
        except Exception:  # noqa: BLE001 - the quota figure is not worth failing a reply for
            log.exception("could not count a push")

    def _queue(self, user_id: str, messages: list[Message], retry_key: str) -> None:
        try:
            self.store.outbox.enqueue(user_id, messages, kind="reply", retry_key=retry_key)
        except Exception:  # noqa: BLE001 - the last resort must not take the webhook down
            log.exception("could not queue an undelivered reply")
