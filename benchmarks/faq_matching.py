"""Benchmark the FAQ matcher: accuracy on the eval sets and speed at 3 knowledge base sizes.

Run from the repository root: python benchmarks/faq_matching.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from knowledge import load_knowledge_base  # noqa: E402
from knowledge.matcher import AMBIGUOUS, ANSWER, FALLBACK, Matcher  # noqa: E402
from knowledge.synthetic import synthetic_kb  # noqa: E402

EVAL_DIR = ROOT / "knowledge" / "eval"
# The one set nobody has tuned on (see its header); every other set in EVAL_DIR is a tuning set.
UNTOUCHED = "round8"
TARGETS = {"top1": 95.0, "refusal": 95.0, "median_real": 1.0, "median_5000": 10.0}


def accuracy(matcher: Matcher, path: Path | list[Path]) -> dict[str, float]:
    """Return top-1 accuracy, outright-answer accuracy, refusal and ambiguity rates in percent."""
    data = _pooled(path if isinstance(path, list) else [path])
    top1 = outright = ambiguous = 0
    for item in data["in_scope"]:
        result = matcher.match(item["q"])
        hit = result.entry is not None and result.entry.id == item["expect"]
        top1 += hit and result.kind in (ANSWER, AMBIGUOUS)
        outright += hit and result.kind == ANSWER
        ambiguous += result.kind == AMBIGUOUS
    refused = sum(matcher.match(q).kind == FALLBACK for q in data["out_of_scope"])
    n_in, n_out = len(data["in_scope"]), len(data["out_of_scope"])
    return {"n_in": n_in, "n_out": n_out, "top1": 100 * top1 / n_in, "outright": 100 * outright / n_in,
            "ambiguous": 100 * ambiguous / n_in, "refusal": 100 * refused / n_out}


def _pooled(paths: list[Path]) -> dict[str, list]:
    """Return the in-scope and out-of-scope questions of several eval files together."""
    data: dict[str, list] = {"in_scope": [], "out_of_scope": []}
    for path in paths:
        part = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["in_scope"] += part["in_scope"]
        data["out_of_scope"] += part["out_of_scope"]
    return data


def _row(name: str, r: dict[str, float]) -> str:
    return (f"{name:<16}{r['n_in']:>5}{r['n_out']:>5}{r['top1']:>7.1f}%{r['outright']:>9.1f}%"
            f"{r['ambiguous']:>7.1f}%{r['refusal']:>8.1f}%")


def timings(matcher: Matcher, queries: list[str], rounds: int = 3) -> tuple[float, float]:
    """Return median and p99 milliseconds per match() call."""
    for q in queries:  # warm-up: lazy OpenCC/jieba loading is not part of a query
        matcher.match(q)
    samples = []
    gc.disable()
    try:
        for _ in range(rounds):
            for q in queries:
                start = time.perf_counter()
                matcher.match(q)
                samples.append((time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main() -> int:
    """Print the benchmark table; exit status 1 when a target is missed."""
    kb = load_knowledge_base()
    eval_file = EVAL_DIR / "questions.yaml"
    matcher = Matcher(kb)  # first build also loads jieba and OpenCC once
    paths = sorted(EVAL_DIR.glob("*.yaml"))
    data = _pooled(paths)
    queries = [i["q"] for i in data["in_scope"]] + list(data["out_of_scope"])

    print(f"knowledge base: {len(kb)} entries in {len(kb.categories)} categories\n")
    print(f"{'eval set':<16}{'in':>5}{'out':>5}{'top-1':>8}{'outright':>10}{'ambig.':>8}{'refusal':>9}")
    results = {}
    for path in paths:
        r = results[path.stem] = accuracy(matcher, path)
        print(_row(path.stem + (" *" if path.stem == UNTOUCHED else ""), r))
    tuning = [p for p in paths if p.stem != UNTOUCHED]
    print(_row("all tuning sets", accuracy(matcher, tuning)))
    print(f"* {UNTOUCHED}: never tuned on; its header holds the one honest score.")

    print(f"\n{'KB size':>8}{'build s':>9}{'median ms':>11}{'p99 ms':>9}{'top-1':>8}{'refusal':>9}")
    medians = {}
    for size in (len(kb), 1000, 5000):
        start = time.perf_counter()
        m = Matcher(synthetic_kb(kb, size))
        build = time.perf_counter() - start
        median, p99 = timings(m, queries)
        medians[size] = median
        r = accuracy(m, eval_file)  # do generated neighbours steal real questions?
        print(f"{size:>8}{build:>9.2f}{median:>11.3f}{p99:>9.3f}{r['top1']:>7.1f}%{r['refusal']:>8.1f}%")

    main_eval = results["questions"]
    checks = {
        "top1": main_eval["top1"] >= TARGETS["top1"],
        "refusal": main_eval["refusal"] >= TARGETS["refusal"],
        "median_real": medians[len(kb)] < TARGETS["median_real"],
        "median_5000": medians[5000] < TARGETS["median_5000"],
    }
    print("\ntargets: " + ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in checks.items()))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
