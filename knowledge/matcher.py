"""Match a citizen's message to a knowledge base entry, small talk, or nothing."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from typing import TYPE_CHECKING

from knowledge.features import canonical
from knowledge.index import Evidence, Index
from knowledge.models import Entry, KnowledgeBase
from knowledge.normalize import detect_lang, normalize
from knowledge.smalltalk import SmallTalkDetector
from knowledge.topics import bare_object, objects_in

if TYPE_CHECKING:
    from knowledge.classifier import Classifier

ANSWER, AMBIGUOUS, FALLBACK, SMALLTALK = "answer", "ambiguous", "fallback", "smalltalk"
# Where one question ends and another begins: sentence marks, or a space after a question particle.
# A connective after a space ("…要帶什麼 還有證人要滿幾歲", "… 順便問…") starts a second question too.
_QUESTION_BREAK = re.compile(r"[？?！!。；;\n]+|(?<=[嗎呢])\s+|\s+(?=另外|還有|还有|順便|顺便|此外|以及)")
MIN_PART_CHARS = 4  # "好嗎" or "謝謝" is not a question of its own


@dataclass(frozen=True)
class Tuning:
    """Scorer weights and thresholds.

    Relevance is BM25 over the segmented, concept-rewritten words of each entry, plus rapidfuzz
    closeness to one phrasing and the editor's keywords. Weights and thresholds were chosen by a
    grid on the tuning sets with round10 and round11 held out (benchmarks/README.md), maximising
    top-1 + direct + refusal - 5 x confident wrong.
    """

    answer_threshold: float = 28.0   # best score at or above this can be answered outright
    fallback_threshold: float = 50.0  # below this nothing is offered (message names nothing of ours)
    anchored_fallback: float = 24.0  # the same when the message names our business (戶籍, 離婚…)
    margin: float = 5.0              # a runner-up this close makes the answer ambiguous
    w_text: float = 0.0              # best cosine against one question or phrasing (BM25 does better)
    w_entry_doc: float = 0.0         # cosine against all of the entry's words (BM25 does better)
    w_keywords: float = 0.16         # keywords found verbatim (or nearly) in the message
    w_fuzzy: float = 0.42            # rapidfuzz token_set_ratio to the closest phrasing
    w_coverage: float = 0.4          # how much a message the entry cannot explain is discounted
    keyword_scale: float = 4.0       # idf mass of keyword hits that counts as "plenty"
    preselect: int = 8               # entries scored in full per query
    off_topic: float = 0.75          # factor for an entry that never mentions the first thing named
    off_referral: float = 0.6        # factor for a referral about a thing not named first
    foreign: float = 0.4             # factor when the message is about another part of life
    sibling: float = 0.2             # most a sibling loses for lacking the words that tell it apart
    sibling_scale: float = 2.0       # idf mass of such words that costs about 63% of `sibling`
    unaddressed: float = 0.8         # factor for office details when the message names no office
    off_focus: float = 1.0           # factor for an entry that only mentions the first thing named (BM25: no longer needed)
    fuzzy_share: float = 0.3         # share of a message a phrasing must cover to fuzzy-match fully
    max_candidates: int = 4
    sibling_answer: float = 0.8      # a sibling within `margin` at this share of the best is offered, not asked
    close_siblings: int = 1          # at most this many close siblings are answered through; more are asked
    w_bm25: float = 0.5              # BM25 over all the entry's words, as a share of the message explained
    bm25_preselect: int = 4          # entries best by BM25 also scored in full (8 scores the same, slower)
    lead_floor: float = 24.0         # a best score at or above this is answered when it leads clearly
    lead: float = 8.0                # by this much over the best entry of another topic
    # With the learned classifier (knowledge/classifier.py), chosen leave-one-round-out on rounds 9-12:
    learned_floor: float = 0.08      # below this probability for the best entry nothing is offered
    learned_answer: float = 0.30     # at or above this the best entry is answered when it leads...
    learned_lead: float = 0.20       # ...by this much over the runner-up, or the runner-up is a sibling
    learned_sibling: float = 0.4     # a sibling at this share of the best is offered first among the buttons (0.4–0.5 score the same)
    learned_anchored_none: float = 2.0  # ...or, when it names our business, when "none" is this many times likelier
    # A confident best this sure is answered at once; a less sure one is vetoed (asked) when BM25 + rapidfuzz
    # answer another entry outright. 0 never asks the words, above 1 always does (LORO: same figures, 4x faster).
    learned_decisive: float = 0.5


@dataclass(frozen=True)
class MatchResult:
    """Outcome of Matcher.match: what to reply and how sure we are."""

    kind: str                                   # answer | ambiguous | fallback | smalltalk
    entry: Entry | None = None                  # the answer (answer) or the best guess (ambiguous)
    score: float = 0.0                          # 0-100 confidence of the best entry
    candidates: tuple[tuple[Entry, float], ...] = ()  # (entry, score) best first, at most 4
    lang: str = "zh"                            # language the citizen wrote in: zh or en
    smalltalk_answer: str | None = None         # reply text when kind is smalltalk
    normalized: str = field(default="", repr=False)  # the message after normalize()
    siblings: tuple[Entry, ...] = ()            # answer: close entries of the same topic, offered first
    follow_up: Entry | None = None              # answer: the entry for a second question in the message

    def offered(self) -> tuple[Entry, ...]:
        """Return every entry the reply names: the answer or guesses, then siblings and follow-up."""
        found = [self.entry] if self.entry is not None else []
        for e in (*(e for e, _ in self.candidates), *self.siblings, self.follow_up):
            if e is not None and e not in found:
                found.append(e)
        return tuple(found) if self.kind in (ANSWER, AMBIGUOUS) else ()


class Matcher:
    """Pure FAQ matcher; everything is precomputed here so match() is fast."""

    def __init__(self, kb: KnowledgeBase, tuning: Tuning | None = None,
                 classifier: "Classifier | None" = None) -> None:
        self.kb = kb
        self.tuning = tuning or Tuning()
        self._index = Index(kb.entries, self.tuning.keyword_scale)
        self._smalltalk = SmallTalkDetector(kb.smalltalk)
        self.classifier = classifier
        # The things each entry's own question names: the entries a bare "身分證" could mean.
        self._about = tuple(frozenset(objects_in(canonical(normalize(f"{e.question_zh} {e.question_en}"))))
                            for e in kb.entries)

    @classmethod
    def learned(cls, kb: KnowledgeBase, exclude: tuple[str, ...] = ()) -> "Matcher":
        """The production matcher: the learned classifier decides, BM25 + rapidfuzz confirm.

        `exclude` leaves eval rounds out of what the classifier learns from (held-out scoring).
        """
        from knowledge.classifier import for_knowledge_base

        return cls(kb, classifier=for_knowledge_base(kb, exclude))

    def score(self, evidence: Evidence) -> float:
        """Combine an entry's evidence into a 0-100 score."""
        t = self.tuning
        raw = (t.w_text * evidence.text_cosine + t.w_entry_doc * evidence.entry_cosine
               + t.w_keywords * evidence.keywords + t.w_fuzzy * evidence.fuzzy + t.w_bm25 * evidence.bm25)
        # Words the entry cannot explain ("我家的貓一直吐") pull the score down.
        raw *= 1.0 - t.w_coverage + t.w_coverage * evidence.coverage
        return round(100.0 * min(raw, 1.0), 2)

    def rank(self, query: str) -> list[tuple[Entry, float]]:
        """Return the best-matching entries with scores, best first (at most `preselect`)."""
        return self._rank(normalize(query or ""))

    def _rank(self, normalized: str) -> list[tuple[Entry, float]]:
        return self._ranked(normalized)[0]

    def _ranked(self, normalized: str) -> tuple[list[tuple[Entry, float]], bool]:
        """Return (ranked entries, whether the message names household-registration business)."""
        q = self._index.query(normalized)
        if q is None:
            return [], False
        t = self.tuning
        scored = []
        distinct: dict[int, float] = {}
        bm25 = self._index.bm25(q)
        chosen = self._index.preselect(q, t.preselect)
        chosen += [ei for ei in self._index.bm25_best(bm25, t.bm25_preselect) if ei not in chosen]
        for ei in chosen:
            evidence = replace(self._index.evidence(ei, q, t.fuzzy_share, text_cosine=t.w_text > 0),
                               bm25=float(bm25[ei]))
            distinct[ei] = evidence.distinct
            s = self.score(evidence)
            if self._index.wrong_referral(ei, q):
                s *= t.off_referral
            elif not self._index.on_topic(ei, q):
                s *= t.off_topic
            elif self._index.off_focus(ei, q):
                s *= t.off_focus
            if q.topic.foreign:
                s *= t.foreign
            if self._index.office_entry[ei] and not q.topic.addressed:
                s *= t.unaddressed
            scored.append((ei, s))
        scored = [(ei, round(s * self._sibling_factor(ei, distinct), 2)) for ei, s in scored]
        scored.sort(key=lambda p: (-p[1], p[0]))
        return [(self.kb.entries[ei], s) for ei, s in scored], q.topic.anchored

    def _sibling_factor(self, ei: int, distinct: dict[int, float]) -> float:
        """Return the discount for an entry whose scored siblings own more of the message."""
        category = self.kb.entries[ei].category
        best = max(d for ej, d in distinct.items() if self.kb.entries[ej].category == category)
        gap = best - distinct[ei]
        return 1.0 - self.tuning.sibling * (1.0 - math.exp(-gap / self.tuning.sibling_scale))

    def match(self, query: str, lang: str | None = None) -> MatchResult:
        """Match one message; a pure function of the message and the knowledge base.

        A message asking two things ("結婚登記要帶什麼？假日可以辦嗎") is answered for the first
        and carries the second as `follow_up`, when each part is clear on its own.
        """
        query = query or ""
        lang = lang if lang in ("zh", "en") else detect_lang(query)
        whole = self._match_one(query, lang)
        parts = [p for p in _QUESTION_BREAK.split(query) if len(normalize(p).replace(" ", "")) >= MIN_PART_CHARS]
        if len(parts) < 2 or whole.kind == SMALLTALK:
            return whole
        results = [self._match_one(p, lang) for p in parts]
        main = results[0] if results[0].kind == ANSWER else whole
        if main.kind != ANSWER:
            return whole
        # A later part only becomes a button, so its best guess is enough.
        later = next((r.entry for r in results[1:] if r.kind in (ANSWER, AMBIGUOUS)
                      and r.entry is not main.entry), None)
        if later is None:
            return main if main is whole else replace(main, normalized=whole.normalized)
        siblings = tuple(e for e in main.siblings if e is not later)
        return replace(main, follow_up=later, siblings=siblings, normalized=whole.normalized)

    def _match_one(self, query: str, lang: str) -> MatchResult:
        norm = normalize(query)
        intent = self._smalltalk.pure(norm)
        if intent is None:
            text = self._smalltalk.strip(norm)
            if self.classifier is not None:
                result = self._decide_learned(text, lang, norm)
            else:
                result = self._decide(*self._ranked(text), lang, norm)
            if result.kind != FALLBACK:
                return result
            intent = self._smalltalk.loose(norm)
            if intent is None:
                return result
        return MatchResult(SMALLTALK, lang=lang, smalltalk_answer=intent.answer(lang), normalized=norm)

    def _decide(self, ranked: list[tuple[Entry, float]], anchored: bool, lang: str,
                norm: str) -> MatchResult:
        t = self.tuning
        # A message that names our business ("離婚", "戶籍") earns a did-you-mean on weaker
        # evidence than one that does not ("幾點開"): only the latter may be someone else's.
        floor = t.anchored_fallback if anchored else t.fallback_threshold
        if not ranked or ranked[0][1] < floor:
            return MatchResult(FALLBACK, score=ranked[0][1] if ranked else 0.0, lang=lang, normalized=norm)
        best, best_score = ranked[0]
        top = tuple(ranked[: t.max_candidates])
        close = tuple((e, s) for e, s in top if best_score - s < t.margin)
        # The best of another topic: how far the best leads over a genuinely different need.
        rival = next((s for e, s in ranked[1:] if e.category != best.category), 0.0)
        leads = best_score >= t.lead_floor and best_score - rival >= t.lead
        if ((best_score >= t.answer_threshold or leads) and len(close) <= t.close_siblings + 1
                and all(e.category == best.category for e, _ in close)):
            # A close runner-up of the same topic is the same need told apart by a detail (photo
            # rules vs renewal): answer the best, offer it first among the buttons. Many close
            # siblings ("身分證" alone) mean the detail is missing: ask.
            siblings = tuple(e for e, s in top[1:]
                             if e.category == best.category and s >= t.sibling_answer * best_score)
            return MatchResult(ANSWER, best, best_score, top, lang, normalized=norm, siblings=siblings)
        # Either a runner-up is too close to call or the best is only a guess: offer choices.
        return MatchResult(AMBIGUOUS, best, best_score, close if len(close) > 1 else top, lang,
                           normalized=norm)

    def _anchored(self, text: str) -> bool:
        """Whether the message names household-registration business (concepts.yaml domain_anchors, objects)."""
        q = self._index.query(text)
        return q is not None and q.topic.anchored

    def _decide_learned(self, text: str, lang: str, norm: str) -> MatchResult:
        """The classifier's choice; BM25 + rapidfuzz agreeing on the same entry turns a guess into an answer."""
        t = self.tuning
        assert self.classifier is not None
        p = self.classifier.probabilities(text)
        none = self.classifier.none
        order = [int(i) for i in p.argsort()[::-1] if i != none][: t.max_candidates]
        best = order[0]
        entry = self.kb.entries[best]
        top = tuple((self.kb.entries[i], round(100.0 * float(p[i]), 2)) for i in order)
        # A message naming our business ("戶口", "身分證") is refused only when "none" clearly leads:
        # a long story about a lost 戶口名簿 shares many pieces with strangers' stories.
        refused = p[none] > t.learned_anchored_none * p[best] or (p[none] > p[best] and not self._anchored(text))
        if refused or p[best] < t.learned_floor:
            return MatchResult(FALLBACK, score=top[0][1], lang=lang, normalized=norm)
        thing = bare_object(canonical(text))
        if thing is not None and sum(thing in self._about[i] for i in order) > 1:
            # "身分證" alone names the thing but not the need (apply, renew, replace): ask which.
            return MatchResult(AMBIGUOUS, entry, top[0][1], top, lang, normalized=norm)
        runner = order[1] if len(order) > 1 else None
        sibling = runner is not None and self.kb.entries[runner].category == entry.category
        gap = p[best] - (p[runner] if runner is not None else 0.0)
        siblings = tuple(self.kb.entries[i] for i in order[1:] if self.kb.entries[i].category == entry.category
                         and p[i] >= t.learned_sibling * p[best])
        # A runner-up of the same topic, however close, is the same need told apart by a detail (「結婚」:
        # registering, or who may marry): answer the best and offer the sibling first. Different needs
        # of one thing are told apart by the bare-thing rule above. (A near tie used to be asked about:
        # leave-one-round-out on rounds 24–29 scores the same without it.)
        confident = p[best] >= t.learned_answer and (gap >= t.learned_lead or sibling)
        if confident and p[best] >= t.learned_decisive:
            return MatchResult(ANSWER, entry, top[0][1], top, lang, normalized=norm, siblings=siblings)
        words = self._decide(*self._ranked(text), lang, norm)
        agrees = words.kind in (ANSWER, AMBIGUOUS) and words.entry is entry
        # Words pointing at a sibling are the same need told apart by a detail: answer, offer it first.
        # Words answering another topic outright are a different need: ask.
        other = words.entry if words.kind == ANSWER and words.entry is not entry else None
        vetoed = other is not None and other.category != entry.category
        if agrees or (confident and not vetoed):
            if other is not None and other not in siblings:
                siblings = (other, *siblings)
            return MatchResult(ANSWER, entry, top[0][1], top, lang, normalized=norm, siblings=siblings)
        if vetoed and words.entry not in (e for e, _ in top):
            top = (*top[:-1], (words.entry, words.score))
        return MatchResult(AMBIGUOUS, entry, top[0][1], top, lang, normalized=norm)
