"""Benchmark the FAQ matcher: accuracy on the eval sets, by language, and speed at 3 knowledge base sizes.

Run from the repository root: python benchmarks/faq_matching.py [--sets round9,round10] [--every 20]

Figures per question set (percent):
  top-1    the direct answer, or the first suggestion, is the expected entry
  direct   answered outright with the expected entry (no "did you mean")
  offered  the expected entry is the answer or among the suggestions at all
  refusal  out-of-scope messages refused (fallback or small talk, nothing of the FAQ offered)
  conf.wr  confident wrong: answered outright with a wrong entry (in scope) or with any entry
           (out of scope), over all the set's questions
Languages: zh-TW, zh-Hans (Simplified), en, detected from the question itself.
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from knowledge import load_knowledge_base  # noqa: E402
from knowledge.matcher import AMBIGUOUS, ANSWER, Matcher  # noqa: E402
from knowledge.normalize import detect_lang  # noqa: E402
from knowledge.synthetic import synthetic_kb  # noqa: E402

EVAL_DIR = ROOT / "knowledge" / "eval"
# Sets nobody tuned on (see their headers); every other set in EVAL_DIR is a tuning set.
UNTOUCHED: tuple[str, ...] = ()  # every set has been scored once and folded in: see benchmarks/README.md
TARGETS = {"top1": 95.0, "refusal": 95.0, "confident_wrong": 2.0, "median_real": 1.0, "median_5000": 10.0}
LANGS = ("zh-TW", "zh-Hans", "en")


@functools.lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def language(text: str) -> str:
    """Return zh-TW, zh-Hans or en for one question."""
    if detect_lang(text) == "en":
        return "en"
    t2s, s2t = _opencc()
    return "zh-Hans" if t2s.convert(text) == text and s2t.convert(text) != text else "zh-TW"


def load(paths: list[Path]) -> dict[str, list]:
    """Return the in-scope and out-of-scope questions of several eval files together."""
    data: dict[str, list] = {"in_scope": [], "out_of_scope": []}
    for path in paths:
        part = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["in_scope"] += part["in_scope"]
        data["out_of_scope"] += part["out_of_scope"]
    return data


def _empty() -> dict[str, int]:
    return dict(n_in=0, n_out=0, top1=0, direct=0, offered=0, refused=0, wrong=0)


def counts(matcher: Matcher, data: dict[str, list]) -> dict[str, dict[str, int]]:
    """Return raw counts per language and for "all"."""
    out = {k: _empty() for k in ("all", *LANGS)}
    for item in data["in_scope"]:
        r = matcher.match(item["q"])
        ids = [e.id for e, _ in r.candidates]
        best = r.entry.id if r.entry is not None else None
        for c in (out["all"], out[language(item["q"])]):
            c["n_in"] += 1
            c["top1"] += best == item["expect"] and r.kind in (ANSWER, AMBIGUOUS)
            c["direct"] += best == item["expect"] and r.kind == ANSWER
            c["offered"] += r.kind in (ANSWER, AMBIGUOUS) and (best == item["expect"] or item["expect"] in ids)
            c["wrong"] += r.kind == ANSWER and best != item["expect"]
    for q in data["out_of_scope"]:
        r = matcher.match(q)
        for c in (out["all"], out[language(q)]):
            c["n_out"] += 1
            c["refused"] += r.kind not in (ANSWER, AMBIGUOUS)
            c["wrong"] += r.kind == ANSWER
    return out


def rates(c: dict[str, int]) -> dict[str, float]:
    """Turn counts into percentages (nan where a set has no such question)."""
    def pct(x: int, n: int) -> float:
        return 100.0 * x / n if n else float("nan")
    return {"n_in": c["n_in"], "n_out": c["n_out"], "top1": pct(c["top1"], c["n_in"]),
            "direct": pct(c["direct"], c["n_in"]), "offered": pct(c["offered"], c["n_in"]),
            "refusal": pct(c["refused"], c["n_out"]),
            "confident_wrong": pct(c["wrong"], c["n_in"] + c["n_out"])}


def accuracy(matcher: Matcher, path: Path | list[Path]) -> dict[str, float]:
    """Return the figures of one or more eval files, all languages together."""
    return rates(counts(matcher, load(path if isinstance(path, list) else [path]))["all"])


HEADER = f"{'set':<22}{'in':>5}{'out':>5}{'top-1':>8}{'direct':>8}{'offered':>9}{'refusal':>9}{'conf.wr':>9}"


def _row(name: str, r: dict[str, float]) -> str:
    return (f"{name:<22}{r['n_in']:>5}{r['n_out']:>5}{r['top1']:>7.1f}%{r['direct']:>7.1f}%"
            f"{r['offered']:>8.1f}%{r['refusal']:>8.1f}%{r['confident_wrong']:>8.1f}%")


def report(matcher: Matcher, name: str, paths: list[Path]) -> dict[str, float]:
    """Print one set's rows (all, then per language) and return its overall figures."""
    by_lang = counts(matcher, load(paths))
    print(_row(name, rates(by_lang["all"])))
    for lang in LANGS:
        if by_lang[lang]["n_in"] + by_lang[lang]["n_out"]:
            print(_row(f"  {lang}", rates(by_lang[lang])))
    return rates(by_lang["all"])


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


def main(argv: list[str] | None = None) -> int:
    """Print the benchmark tables; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated eval set names to score alone (no speed runs)")
    parser.add_argument("--tuning", action="store_true", help="score the tuning sets only (no untouched sets, no speed)")
    parser.add_argument("--holdout", help="comma-separated sets held out: score them apart from the other sets (no speed)")
    parser.add_argument("--every", type=int, default=1,
                        help="time every Nth question only (a quick run; accuracy is still scored on all)")
    parser.add_argument("--words-only", action="store_true",
                        help="the matcher without its learned classifier (BM25 + rapidfuzz alone), for comparison")
    args = parser.parse_args(argv)
    kb = load_knowledge_base()
    held = tuple(args.holdout.split(",")) if args.holdout else ()

    def build(exclude: tuple[str, ...] = ()) -> Matcher:
        return Matcher(kb) if args.words_only else Matcher.learned(kb, exclude)

    matcher = build(held)  # first build also loads jieba and OpenCC once
    paths = sorted(EVAL_DIR.glob("*.yaml"))
    if args.sets:
        print(HEADER)
        for name in args.sets.split(","):
            report(matcher, name, [EVAL_DIR / f"{name}.yaml"])
        return 0

    if args.holdout:
        # The honest view: the classifier learned from the rest only, the held-out rows are the check.
        print(HEADER)
        report(matcher, "rest (learned from)", [p for p in paths if p.stem not in held])
        report(matcher, "held out: " + ",".join(sorted(held)), [p for p in paths if p.stem in held])
        return 0

    print(f"knowledge base: {len(kb)} entries in {len(kb.categories)} categories")
    if not args.words_only:
        print("the classifier learned from every set below: these rows show fit, not generalisation;\n"
              "use --holdout ROUND (it learns again without ROUND) for a figure on unseen questions\n")
    print(HEADER)
    for path in paths:
        if path.stem not in UNTOUCHED:
            print(_row(path.stem, accuracy(matcher, path)))
    tuning = [p for p in paths if p.stem not in UNTOUCHED]
    print()
    pooled = report(matcher, "all tuning sets", tuning)
    if args.tuning:
        return 0
    untouched = [p for p in paths if p.stem in UNTOUCHED]
    for path in untouched:
        report(matcher, path.stem + " *", [path])
    if untouched:
        print(f"* {', '.join(UNTOUCHED)}: scored once, untouched; its header and benchmarks/README.md hold "
              "the honest score.")

    data = load(paths)
    queries = ([i["q"] for i in data["in_scope"]] + list(data["out_of_scope"]))[::max(1, args.every)]
    median, p99 = timings(matcher, queries)
    print(f"\nthis matcher at {len(kb)} entries: median {median:.3f} ms, p99 {p99:.3f} ms per message")
    # The classifier is learned for the real knowledge base; generated ones are measured words-only.
    print(f"\n{'KB size':>8}{'build s':>9}{'median ms':>11}{'p99 ms':>9}{'top-1':>8}{'refusal':>9}")
    medians = {}
    for size in (len(kb), 1000, 5000):
        start = time.perf_counter()
        m = Matcher(synthetic_kb(kb, size))
        build = time.perf_counter() - start
        median, p99 = timings(m, queries)
        medians[size] = median
        if size == len(kb):
            medians[size] = timings(matcher, queries)[0]
        r = accuracy(m, EVAL_DIR / "questions.yaml")  # do generated neighbours steal real questions?
        print(f"{size:>8}{build:>9.2f}{median:>11.3f}{p99:>9.3f}{r['top1']:>7.1f}%{r['refusal']:>8.1f}%")

    main_set = accuracy(matcher, EVAL_DIR / "questions.yaml")
    checks = {
        "top1": main_set["top1"] >= TARGETS["top1"],
        "refusal": main_set["refusal"] >= TARGETS["refusal"],
        "median_real": medians[len(kb)] < TARGETS["median_real"],
        "median_5000": medians[5000] < TARGETS["median_5000"],
    }
    print("\ntargets: " + ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in checks.items()))
    # Issue 11's goal is about sets nobody has seen: shown, not an exit status, since a tuning
    # set cannot prove it and an untouched set is scored once.
    honest = untouched[-1] if untouched else None
    if honest is not None:
        r = accuracy(matcher, honest)
        print(f"goal on {honest.stem} (top-1 >= {TARGETS['top1']:.0f}%, refusal >= {TARGETS['refusal']:.0f}%, "
              f"confident wrong <= {TARGETS['confident_wrong']:.0f}%): top-1 {r['top1']:.1f}%, "
              f"refusal {r['refusal']:.1f}%, confident wrong {r['confident_wrong']:.1f}%")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
