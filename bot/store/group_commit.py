"""Group commit: the lone statements of a process's request threads, written by one of them at a time.

Under gunicorn most of a request thread's time went into waiting for the write lock, taken once for each
lone statement (accept, claim, incoming text, done), each time a thread lock, a flock() and a wait for the
GIL while holding them (benchmarks/README.md, issue 16). Here the first thread with a statement to write
becomes the leader: it takes the lock once and writes every statement queued by then; the others wait
until it hands them their results, and the next waiting thread leads the next group.
"""
from __future__ import annotations

import os
import threading
from typing import Any, Callable, Sequence


class Statement:
    """One thread's lone statement, waiting to be written; its result or error once it was."""

    __slots__ = ("sql", "params", "result", "error", "settled", "ready", "lead")

    def __init__(self, sql: str, params: Sequence[Any]) -> None:
        self.sql, self.params = sql, params
        self.result: tuple[int, list[Any]] = (0, [])
        self.error: BaseException | None = None
        self.settled = False  # its result or error is final (committed, or refused)
        self.ready = threading.Event()
        self.lead = False  # woken to lead the next group, its own statement not yet written

    def settle(self, result: tuple[int, list[Any]] = (0, []), error: BaseException | None = None) -> None:
        self.result, self.error, self.settled = result, error, True


class GroupCommit:
    """Hands each statement to the thread leading the current group and waits for its result.

    `write_group(take)` takes the write lock, calls `take()` for the statements queued so far and settles
    each of them; whatever it leaves unsettled gets the exception it ended with.
    """

    def __init__(self, write_group: Callable[[Callable[[], list[Statement]]], None]) -> None:
        self._write_group = write_group
        self._pid: int | None = None

    def _for_this_process(self) -> None:
        """A fresh queue after a fork: a parent's leader is not running in the child."""
        if self._pid != os.getpid():
            self._guard, self._queue, self._leading, self._pid = threading.Lock(), [], False, os.getpid()

    def write(self, sql: str, params: Sequence[Any]) -> tuple[int, list[Any]]:
        self._for_this_process()
        mine = Statement(sql, params)
        with self._guard:
            self._queue.append(mine)
            leads = not self._leading
            self._leading = True
        if not leads:
            mine.ready.wait()  # the leader always wakes us: with a result, an error, or the lead
        if leads or mine.lead:
            self._lead()
        if mine.error is not None:
            raise mine.error
        return mine.result

    def _lead(self) -> None:
        taken: list[Statement] = []

        def take() -> list[Statement]:
            with self._guard:
                taken.extend(self._queue)
                self._queue.clear()
            return taken

        try:
            self._write_group(take)
        except BaseException as exc:  # noqa: BLE001 - every waiting thread gets it, ours re-raises it
            for statement in taken or take():
                if not statement.settled:
                    statement.settle(error=exc)
        finally:
            with self._guard:
                following = self._queue[0] if self._queue else None
                self._leading = following is not None
            for statement in taken:
                statement.ready.set()
            if following is not None:
                following.lead = True
                following.ready.set()
