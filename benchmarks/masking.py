"""Benchmark mask(): microseconds per call for the texts the bot logs, by length and content.

Run from the repository root: python benchmarks/masking.py [--rounds N]
mask() runs on every message logged (in and out), so a short text's figure is paid several times an event.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.masking import mask  # noqa: E402

SENTENCE = "外籍配偶的居留證地址變更可以在這裡辦嗎，"
CASES = {
    "short, no number": "請問身分證遺失怎麼補辦？要帶什麼",
    "short, one mobile": "請問身分證遺失怎麼補辦？我的電話是0912-345-678",
    "short, full-width ID + e-mail": "我的身分證Ａ１２３４５６７８９，信箱 wang.xm@gmail.com",
    "short, zero-width split": "手機 09\u200b12\u200b345\u200b678",
    "2000 chars, no number": (SENTENCE * 100)[:2000],
    "2000 chars, one mobile": (SENTENCE * 100)[:1990] + "0912345678",
}


def per_call_us(text: str, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        mask(text)
    return (time.perf_counter() - start) / rounds * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000, help="calls per text (long texts: a tenth)")
    args = parser.parse_args(argv)
    print(f"{'text':<34}{'µs per mask()':>14}")
    for name, text in CASES.items():
        rounds = max(1, args.rounds // 10) if len(text) > 500 else args.rounds
        print(f"{name:<34}{per_call_us(text, rounds):>14.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
