"""Precomputed search index over knowledge base entries and the per-entry evidence it gives."""

from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass, replace

import bm25s
import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.fuzz import token_set_ratio
from rapidfuzz.process import cdist

from knowledge.features import PART_WEIGHT, SINGLE_CHAR_WEIGHT, analyze, canonical, stem, word_terms
from knowledge.models import Entry
from knowledge.normalize import normalize
from knowledge.topics import Topic, objects_in, topic
from knowledge.concepts import OFFICE_CATEGORIES

# An object named by at most this many entries is specific enough ("護照": the passport
# referral) that those entries are always scored, even when generic words crowd them out.
SPECIFIC_OBJECT_ENTRIES = 4
# Only whole words tell siblings apart; word parts and single characters are too noisy.
DISTINCT_MIN_WEIGHT = 1.0
_EN_WORD = re.compile(r"[a-z]+")
# "我不是要辦身分證，是要辦謄本": what a citizen says they are NOT asking about is dropped,
# up to the end of the clause or the "是要…" that corrects it. Only negated intent verbs count
# ("不是本人" or "是不是要本人" keep their meaning).
_NEGATED_INTENT = re.compile(r"(?<!是)(?:不是|並不是|並非)(?:要|想|問|說)[^ ]*?(?=我是|而是|是要|是想|是問| |$)")


@dataclass(frozen=True)
class Query:
    """One message prepared for scoring: canonical text, weighted terms, words."""

    canon: str
    vector: dict[str, float]
    keys: frozenset[str]
    norm: float
    total: float
    words: str
    topic: Topic
    tokens: tuple[str, ...] = ()  # whole words and word parts, for BM25


@dataclass(frozen=True)
class Evidence:
    """How well one entry fits a query; every field is 0-1."""

    text_cosine: float      # best cosine against one question or phrasing
    entry_cosine: float     # cosine against all the entry's words together
    keywords: float         # keywords found in the message, rarest counting most
    fuzzy: float            # rapidfuzz token_set_ratio to the closest phrasing
    coverage: float         # share of the message's weight the entry's words explain
    distinct: float = 0.0   # idf mass of query words only this entry of its category declares
    bm25: float = 0.0       # BM25 of the message against all the entry's words, per query idf


@dataclass(frozen=True)
class _Text:
    entry: int
    vector: dict[str, float]
    keys: frozenset[str]
    norm: float
    words: str
    is_entry_doc: bool


BM25_K1 = 1.2
BM25_B = 0.75
BM25_MIN_TERMS = 4.0


def bm25_tokens(weights: dict[str, float]) -> list[str]:
    """Return the terms BM25 counts: whole words and word parts, not single characters of words."""
    return [t for t, w in weights.items() if w >= PART_WEIGHT]


class Index:
    """Inverted index of phrasing terms with idf weights, built once per knowledge base."""

    def __init__(self, entries: tuple[Entry, ...], keyword_scale: float = 4.0) -> None:
        self.entries = entries
        self.keyword_scale = keyword_scale
        # Build-time memos: synthetic and real knowledge bases repeat the same texts and runs
        # of characters many times; each is normalised and segmented once. Dropped after.
        self._canon_memo: dict[tuple[str, str], str] = {}
        self._analysis_memo: dict[str, tuple[dict[str, float], str]] = {}
        self._runs: dict[str, list[str]] = {}
        docs = [self._entry_docs(e) for e in entries]
        self._build_idf(docs)
        self._build_distinct(docs)
        self._build_texts(docs)
        self._build_keywords()
        self._build_objects(docs)
        self._build_bm25(docs)
        self.office_entry = [e.category in OFFICE_CATEGORIES for e in entries]
        del self._canon_memo, self._analysis_memo, self._runs

    def _canon(self, text: str, context: str = "") -> str:
        """Return canonical(normalize(text), context), memoised while the index is built."""
        canon = self._canon_memo.get((text, context))
        if canon is None:
            canon = self._canon_memo[(text, context)] = canonical(normalize(text), context)
        return canon

    def _analyze(self, text: str) -> tuple[dict[str, float], str]:
        """Return analyze(text), memoised while the index is built; callers must not mutate it."""
        analysis = self._analysis_memo.get(text)
        if analysis is None:
            analysis = self._analysis_memo[text] = analyze(text, self._runs)
        return analysis

    def _entry_docs(self, e: Entry) -> list[tuple[str, bool]]:
        # The entry's own question settles what an ambiguous word in a short phrasing means.
        context = normalize(e.question_zh)
        docs = [(self._canon(t, context), False) for t in (e.question_zh, e.question_en, *e.phrasings)]
        docs.append((" ".join(self._canon(k, context) for k in e.keywords), True))
        return [(d, is_kw) for d, is_kw in docs if d]

    def _build_idf(self, docs: list[list[tuple[str, bool]]]) -> None:
        df: dict[str, int] = {}
        for entry_docs in docs:
            seen: set[str] = set()
            for text, _ in entry_docs:
                seen.update(self._analyze(text)[0])
            for term in seen:
                df[term] = df.get(term, 0) + 1
        n = max(len(docs), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        # Words the knowledge base never uses count like a typical word: an out-of-scope
        # message made of them scores low, a long in-scope one is not drowned by them.
        ranked = sorted(self.idf.values())
        self.unknown_idf = ranked[len(ranked) // 2] if ranked else 1.0
        self.max_idf = math.log(1 + n)

    def _build_texts(self, docs: list[list[tuple[str, bool]]]) -> None:
        self._texts: list[_Text] = []
        self._by_entry: list[list[int]] = []
        for ei, entry_docs in enumerate(docs):
            ids = []
            merged: dict[str, float] = {}
            for text, is_kw in entry_docs:
                weights, text_words = self._analyze(text)
                vec = {t: w * self.idf[t] for t, w in weights.items()}
                for t, v in vec.items():
                    merged[t] = max(v, merged.get(t, 0.0))
                if not is_kw:
                    ids.append(self._add_text(ei, vec, text_words, False))
            # One document per entry with every term of every phrasing and keyword: a
            # question that mixes words from two phrasings still finds its entry.
            ids.append(self._add_text(ei, merged, "", True))
            self._by_entry.append(ids)
        # Entries with many phrasings and keywords have long vectors; pivoting their norm
        # towards the average keeps a rich entry from losing to a sparse one.
        doc_norms = [t.norm for t in self._texts if t.is_entry_doc]
        pivot = sum(doc_norms) / len(doc_norms) if doc_norms else 1.0
        self._texts = [replace(t, norm=0.5 * t.norm + 0.5 * pivot) if t.is_entry_doc else t
                       for t in self._texts]
        self._build_scoring_views()
        # Terms found in very many texts stay out of the inverted index: they barely move a
        # cosine and would make every query walk huge posting lists.
        cap = max(60, len(self._texts) // 50)
        postings: dict[str, list[tuple[int, float]]] = {}
        for ti, text in enumerate(self._texts):
            for t, w in text.vector.items():
                postings.setdefault(t, []).append((ti, w / text.norm))
        self._postings = {t: p for t, p in postings.items() if len(p) <= cap}
        # Kept for messages made only of common words ("身分證"): walked only when the
        # informative postings find nothing, so typical queries stay fast.
        self._common_postings = {t: p for t, p in postings.items() if len(p) > cap}

    def _build_scoring_views(self) -> None:
        # evidence() runs for every preselected entry of every query: give it plain tuples
        # of everything query-independent (phrasing lengths included) instead of _Text objects.
        self._phrasings: list[tuple[tuple[frozenset[str], dict[str, float], float, str, int], ...]] = []
        self._entry_doc: list[tuple[frozenset[str], dict[str, float], float]] = []
        for ids in self._by_entry:
            texts = [self._texts[ti] for ti in ids]
            self._phrasings.append(tuple((t.keys, t.vector, t.norm, t.words, len(t.words))
                                         for t in texts if not t.is_entry_doc))
            doc = next(t for t in texts if t.is_entry_doc)
            self._entry_doc.append((doc.keys, doc.vector, doc.norm))
        # The phrasings' words and lengths side by side, for one rapidfuzz call per entry (cdist).
        self._phrasing_words = [[p[3] for p in ps] for ps in self._phrasings]
        self._phrasing_lengths = [np.array([p[4] for p in ps], dtype=np.float64) for ps in self._phrasings]

    def _build_distinct(self, entry_docs: list[list[tuple[str, bool]]]) -> None:
        # Sibling entries (one category) share most words: "死亡登記" is in both death
        # entries, 國外 only in the one about deaths abroad. An entry's distinct words are the
        # whole words of its keywords and questions that no sibling uses anywhere; the
        # matcher discounts a sibling whose rivals own more of the message (Matcher.rank).
        docs = [{t for text, _ in ds for t in self._analyze(text)[0]} for ds in entry_docs]
        by_category: dict[str, list[int]] = {}
        for ei, e in enumerate(self.entries):
            by_category.setdefault(e.category, []).append(ei)
        self._distinct: list[dict[str, float]] = [{} for _ in self.entries]
        for eis in by_category.values():
            if len(eis) < 2:
                continue
            df: dict[str, int] = {}
            for ei in eis:
                for t in docs[ei]:
                    df[t] = df.get(t, 0) + 1
            for ei in eis:
                self._distinct[ei] = {t: 1.0 for t in self._declared(ei) if df.get(t, 1) == 1}

    def _declared(self, ei: int) -> set[str]:
        """Return the whole words of an entry's keywords and questions: what its editor chose."""
        e = self.entries[ei]
        found: set[str] = set()
        context = normalize(e.question_zh)
        for text in (*e.keywords, e.question_zh, e.question_en):
            weights, _ = self._analyze(self._canon(text, context))
            found.update(t for t, w in weights.items() if w >= DISTINCT_MIN_WEIGHT)
        return found

    def distinct(self, ei: int, q: Query) -> float:
        """Return the query weight on words entry ei declares and none of its siblings uses."""
        d = self._distinct[ei]
        return sum(w * d[t] for t, w in q.vector.items() if t in d)

    def _add_text(self, ei: int, vec: dict[str, float], text_words: str, is_entry_doc: bool) -> int:
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        self._texts.append(_Text(ei, vec, frozenset(vec), norm, text_words, is_entry_doc))
        return len(self._texts) - 1

    def _build_objects(self, docs: list[list[tuple[str, bool]]]) -> None:
        # Which things each entry talks about at all, and the entries behind rare things.
        self.entry_objects = [frozenset(o for text, _ in entry_docs for o in objects_in(text))
                              for entry_docs in docs]
        # A referral answers "go to agency X for thing Y": only when Y is what the citizen
        # names first ("身分證掉了，健保卡還在" is about the ID card, not the NHI card).
        self._referral_object = [
            (objects_in(self._canon(e.question_zh)) or (None,))[0] if e.referral else None
            for e in self.entries]
        by_object: dict[str, list[int]] = {}
        for ei, objs in enumerate(self.entry_objects):
            for o in objs:
                by_object.setdefault(o, []).append(ei)
        self._object_entries = {o: eis for o, eis in by_object.items()
                                if len(eis) <= SPECIFIC_OBJECT_ENTRIES}
        self._en_vocab = {t[2:] for t in self.idf if t.startswith("w:")}
        # What each entry is mainly about: the first thing its own question names.
        self._home_object = [(objects_in(self._canon(e.question_zh)) or (None,))[0]
                             for e in self.entries]

    def _lemma(self, word: str) -> str:
        """Return an English word as the knowledge base spells it ("applying" → "apply")."""
        if word in self._en_vocab or len(word) < 4:
            return word
        for cut, add in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                         ("d", ""), ("ing", ""), ("ing", "e"), ("er", ""), ("ly", ""), ("ation", "e")):
            if word.endswith(cut) and word[: -len(cut)] + add in self._en_vocab:
                return word[: -len(cut)] + add
        return word

    def _build_keywords(self) -> None:
        # A keyword weighs by how few entries use its words, so "謄本" (every transcript
        # entry) counts less than "委託" (mostly the proxy entries).
        self._keywords = []
        for e in self.entries:
            kws = sorted({self._canon(k, normalize(e.question_zh)) for k in e.keywords} - {""})
            self._keywords.append([(k, self._keyword_idf(k), word_terms(k, self._analyze(k)))
                                   for k in kws])

    def _keyword_idf(self, keyword: str) -> float:
        if keyword in self.idf:
            return self.idf[keyword]
        # A phrase is rarer than each of its words ("歸化考試" vs "歸化"): add the words' idf,
        # capped so one long keyword cannot outweigh everything else. Generic words count
        # here: an editor who lists "準備什麼" means it.
        word_idf = [self.idf.get(w, self.unknown_idf) for w in self._analyze(keyword)[1].split()
                    if w in self.idf or len(w) > 1]
        return min(sum(word_idf), 1.5 * self.max_idf) if word_idf else 0.0

    def _build_bm25(self, docs: list[list[tuple[str, bool]]]) -> None:
        # One BM25 document per entry: every phrasing, question and keyword together, so a
        # story that mixes words of several phrasings still meets its entry; a word many
        # phrasings repeat counts more, saturating (k1), and long entries are not favoured (b).
        corpus = []
        for entry_docs in docs:
            tokens: list[str] = []
            for text, _ in entry_docs:
                tokens += bm25_tokens(self._analyze(text)[0])
            corpus.append(tokens)
        self._bm25 = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self._bm25.index(corpus, show_progress=False)
        self._bm25_vocab = self._bm25.vocab_dict
        n = len(corpus)
        df: dict[str, int] = {}
        for tokens in corpus:
            for t in set(tokens):
                df[t] = df.get(t, 0) + 1
        # What one occurrence of a term in an average entry scores (BM25's idf): the most a
        # message's term can add, so a score can be read as the share of the message explained.
        self._bm25_idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        ranked = sorted(self._bm25_idf.values())
        self._bm25_unknown = ranked[len(ranked) // 2] if ranked else 1.0

    def bm25(self, q: Query) -> np.ndarray:
        """Return every entry's BM25 score for q as a share (0-1) of what q's terms could score.

        A term the knowledge base never uses counts at a typical term's idf: a message about
        something else scores low even when one of its words is ours.
        """
        ids = [self._bm25_vocab[t] for t in q.tokens if t in self._bm25_vocab]
        if not ids:
            return np.zeros(len(self.entries))
        # A message of one or two words explains itself fully to any entry that has them ("你幾歲"):
        # the ceiling is at least BM25_MIN_TERMS typical terms, so such a message cannot score high alone.
        ceiling = max(sum(self._bm25_idf.get(t, self._bm25_unknown) for t in q.tokens),
                      BM25_MIN_TERMS * self._bm25_unknown)
        return np.minimum(self._bm25.get_scores_from_ids(ids) / ceiling, 1.0)

    def bm25_best(self, scores: np.ndarray, limit: int) -> list[int]:
        """Return the indices of the limit entries with the highest positive BM25 scores."""
        if limit <= 0 or not len(scores):
            return []
        top = np.argpartition(-scores, limit - 1)[:limit] if limit < len(scores) else np.arange(len(scores))
        return [int(ei) for ei in top if scores[ei] > 0]

    def query(self, normalized: str) -> Query | None:
        """Prepare already-normalised text for scoring (None when nothing is left)."""
        canon = canonical(normalized)
        canon = " ".join(_NEGATED_INTENT.sub(" ", canon).split()) or canon
        weights, canon_words = analyze(canon)
        for term in [t for t in weights if t.startswith("w:") and t[2:] not in self._en_vocab]:
            lemma = "w:" + self._lemma(term[2:])
            if lemma != term:
                weights[lemma] = max(weights.pop(term), weights.get(lemma, 0.0))
        for word in canon_words.split():
            # A word the knowledge base never uses ("遷到") also backs off to its characters
            # (遷), which the knowledge base may well know; the word itself still counts as
            # unexplained.
            if len(word) > 1 and word in weights and word not in self.idf and not word.isascii():
                for ch in word:
                    if ch in weights and ch in self.idf:
                        weights[ch] = max(weights[ch], SINGLE_CHAR_WEIGHT)
        vec = {t: w * self.idf.get(t, self.unknown_idf) for t, w in weights.items()}
        if not vec:
            return None
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return Query(canon, vec, frozenset(vec), norm, sum(vec.values()), canon_words,
                     topic(canon, normalized, self._lemma_text(canon)), bm25_tokens(weights))

    def _lemma_text(self, canon: str) -> str:
        """Return the English words of canon as lemmas ("divorcing" → "divorce"), for topic()."""
        words = _EN_WORD.findall(canon)
        return " ".join(self._lemma(stem(w)) for w in words) if words else ""

    def preselect(self, q: Query, limit: int) -> list[int]:
        """Return indices of the limit entries sharing the most informative terms with q."""
        acc: dict[int, float] = {}
        for t, qw in q.vector.items():
            for ti, tw in self._postings.get(t, ()):
                acc[ti] = acc.get(ti, 0.0) + qw * tw
        if not acc:
            for t, qw in q.vector.items():
                for ti, tw in self._common_postings.get(t, ()):
                    acc[ti] = acc.get(ti, 0.0) + qw * tw
        best: dict[int, float] = {}
        texts = self._texts
        for ti, dot in acc.items():
            ei = texts[ti].entry
            if dot > best.get(ei, 0.0):
                best[ei] = dot
        chosen = heapq.nlargest(limit, best, key=best.__getitem__)
        for ei in self._object_entries.get(q.topic.first, ()):
            if ei not in chosen:
                chosen.append(ei)
        return chosen

    def on_topic(self, ei: int, q: Query) -> bool:
        """Return False when the query names a thing first that entry ei never mentions."""
        return q.topic.first is None or q.topic.first in self.entry_objects[ei]

    def off_focus(self, ei: int, q: Query) -> bool:
        """Return True when the query's first-named thing is only a side matter of entry ei.

        "身分證後面的地址還是舊的": the ID card is the subject, so an entry about addresses that
        merely mentions the card ranks below the entries about the card itself.
        """
        first = q.topic.first
        return first is not None and self._home_object[ei] != first and first in self.entry_objects[ei]

    def wrong_referral(self, ei: int, q: Query) -> bool:
        """Return True when entry ei refers elsewhere for a thing the query does not name first."""
        referral = self._referral_object[ei]
        return referral is not None and q.topic.first is not None and referral != q.topic.first

    def evidence(self, ei: int, q: Query, fuzzy_share: float = 0.0, text_cosine: bool = True) -> Evidence:
        """Return how well entry ei fits query q.

        A phrasing much shorter than a long message matches "fully" whenever its few words
        occur somewhere in it; with fuzzy_share > 0 such a match counts by the share of the
        message the phrasing covers, up to fuzzy_share of it. text_cosine=False skips the best
        per-phrasing cosine (0 then) for a scorer that gives it no weight: it is most of the work.
        """
        text_cos = entry_cos = fuzzy = coverage = 0.0
        q_vec, q_keys, q_norm, q_words = q.vector, q.keys, q.norm, q.words
        # Same arithmetic, in the same order, as scoring each text on its own: results are
        # identical; only lookups and generator overhead are gone.
        share = (len(q_words) or 1) * fuzzy_share
        if text_cosine:
            for keys, vec, norm, words, length in self._phrasings[ei]:
                common = keys & q_keys
                if common:  # no shared term: cosine 0, which cannot raise text_cos
                    cos = sum([q_vec[t] * vec[t] for t in common]) / (q_norm * norm)
                    if cos > text_cos:
                        text_cos = cos
        if self._phrasing_words[ei]:
            # Every phrasing's ratio in one C call; the best after each is weighted by its length.
            ratios = cdist([q_words], self._phrasing_words[ei], scorer=token_set_ratio)[0]
            if fuzzy_share:
                ratios = ratios * np.minimum(1.0, self._phrasing_lengths[ei] / share)
            fuzzy = float(ratios.max())
        keys, vec, norm = self._entry_doc[ei]
        common = keys & q_keys
        if common:
            entry_cos = sum([q_vec[t] * vec[t] for t in common]) / (q_norm * norm)
            coverage = sum([q_vec[t] for t in common]) / q.total
        return Evidence(text_cos, entry_cos, self._keyword_score(ei, q), fuzzy / 100, coverage,
                        self.distinct(ei, q))

    def _keyword_score(self, ei: int, q: Query) -> float:
        found = []
        for kw, idf, kw_terms in self._keywords[ei]:
            if kw.isascii():
                if kw_terms and kw_terms <= q.keys:
                    found.append(idf)  # English matches by words: "id card" = id + card
            elif kw in q.canon:
                found.append(idf * min(1.0, len(kw) / 2))
            elif len(kw_terms) > 1 and kw_terms <= q.keys:
                found.append(0.8 * idf)  # all words present, in another order: 門牌…證明
            elif len(kw) >= 4 and fuzz.partial_ratio(kw, q.canon, score_cutoff=75):
                found.append(0.6 * idf)  # typo inside a long keyword: 自然人平證
        if not found:
            return 0.0
        # The most specific keyword decides most: "委託" beats a pile of "謄本"-like hits.
        top = max(found)
        return 1.0 - math.exp(-(top + 0.25 * (sum(found) - top)) / self.keyword_scale)
