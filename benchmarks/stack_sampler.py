"""A gunicorn config that samples every thread's stack in each worker; `benchmarks/profile_gunicorn.py` uses it.

    gunicorn -c benchmarks/stack_sampler.py ...   (STACK_SAMPLES_DIR=/some/dir)

Every INTERVAL seconds a daemon thread reads sys._current_frames() and counts, per thread, the stack it is
in: wall-clock samples of all the worker's threads, those waiting on a lock or a socket included (which is
what pyinstrument, one thread only, cannot show). Threads idle in gunicorn's own waits (the pool queue,
the poller) are counted apart. On worker exit the counts go to STACK_SAMPLES_DIR/<pid>.json.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter

INTERVAL = float(os.environ.get("STACK_SAMPLE_INTERVAL", "0.002"))
_state: dict = {}


def _key(frame) -> tuple[str, str, int]:
    code = frame.f_code
    path = code.co_filename
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/lib/python3" in path:
        path = path.split("/lib/python3", 1)[1].split("/", 1)[-1]
    elif os.getcwd() in path:
        path = os.path.relpath(path)
    return (code.co_name, path, frame.f_lineno)


def _run(stacks: Counter, stop: threading.Event) -> None:
    me = threading.get_ident()
    while not stop.wait(INTERVAL):
        names = {t.ident: t.name for t in threading.enumerate()}
        for ident, frame in sys._current_frames().items():
            if ident == me:
                continue
            stack = []
            while frame is not None:
                stack.append(_key(frame))
                frame = frame.f_back
            stacks[(names.get(ident, "?"), tuple(reversed(stack)))] += 1


def post_worker_init(worker) -> None:
    stacks: Counter = Counter()
    stop = threading.Event()
    thread = threading.Thread(target=_run, args=(stacks, stop), name="stack-sampler", daemon=True)
    _state.update(stacks=stacks, stop=stop, thread=thread, started=time.time())
    thread.start()


def worker_exit(server, worker) -> None:
    if "stop" not in _state:
        return
    _state["stop"].set()
    _state["thread"].join(2)
    out = os.environ.get("STACK_SAMPLES_DIR", "/tmp")
    rows = [{"thread": name, "stack": [list(k) for k in stack], "n": n} for (name, stack), n in _state["stacks"].items()]
    with open(os.path.join(out, f"{os.getpid()}.json"), "w") as f:
        json.dump({"interval": INTERVAL, "seconds": time.time() - _state["started"], "rows": rows}, f)
