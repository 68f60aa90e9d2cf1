"""Between two reports of one unit: were last year's plans carried out, and what was copied.

*Promise → delivery* puts each thing report A planned (its ``plans`` items, a long plan
split into its sentences or clauses) beside the sentences of B's achievements that
resemble it most, with a score, and says "no trace found" below a threshold.  Plans
are short and deliveries long, so the score is *containment* — the share of the plan's
distinctive words (weighted by their length) that one sentence of B contains — not a symmetric similarity, and it
is computed per sentence so a long item cannot gather the words from everywhere.
A plan's words come from jieba's precise mode (做好/行政复议/工作), a delivery's from its
search mode, which adds the shorter words inside long ones (行政复议案件 → 行政复议), so a
delivery phrased more specifically still contains the plan's words; the genre's stock
words (推进, 加强, 工作, 依法行政 …) are left out, or every plan would look delivered.

*Copied* lists B's sentences (≥ 15 characters) that repeat one of A's verbatim, contain
one, or nearly repeat one (bigram Dice ≥ 0.85 over *all* bigrams, boilerplate included:
here the stock phrases are exactly what is being detected).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..fold import fold
from ..store.segment import search_words, tokenizer
from .align import CLAUSE_SPLIT, GENERIC_WORDS, ItemRef, all_bigrams, dice, normal, sentences

PROMISE_MIN = 0.5
COPY_MIN_CHARS = 15
COPY_NEAR = 0.85
LONG_PLAN = 80  # normalised characters: a longer plan holds several promises
STOP_WORDS = frozenset(GENERIC_WORDS.split()) | frozenset(
    "法治 政府 建设 主要 负责 负责人 责任 以上 目前 方面 情况 相关 要求 进行 通过 组织 加大 力度 "
    "依法行政 行政 依法治区 依法治国 全面依法治国 新时代 习近平新时代中国特色社会主义思想 指导 "
    "精神 思想 工作水平 取得 成效 各方面 全过程 认真落实 增强 自觉 纳入 社会".split()
)


@dataclass
class Delivery:
    item: ItemRef
    sentence: str
    start: int  # offsets of the sentence in ``item.text``
    end: int
    score: float

    def to_dict(self) -> dict:
        return {
            "item": self.item.to_dict(),
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
        }


@dataclass
class Promise:
    """One thing A planned (``text``, at ``start:end`` of ``plan.text``), and what B did.

    ``status`` is ``found`` when the best score reaches the threshold, else
    ``no trace found``; the best score is stated either way so a reader can judge.
    """

    plan: ItemRef
    text: str
    status: str
    score: float
    matches: list[Delivery] = field(default_factory=list)
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return {
            "plan": self.plan.to_dict(),
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "status": self.status,
            "score": round(self.score, 3),
            "matches": [m.to_dict() for m in self.matches],
        }


@dataclass
class Copied:
    """A sentence of B that repeats one of A verbatim (score 1) or nearly."""

    text: str
    a_text: str
    a_paragraph: int
    b_paragraph: int
    b_start: int  # offsets of the sentence in B's paragraph text
    b_end: int
    score: float

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "a_text": self.a_text,
            "a_paragraph": self.a_paragraph,
            "b_paragraph": self.b_paragraph,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "score": round(self.score, 3),
        }


def words(text: str, search: bool = False) -> set[str]:
    """Distinctive words of ``text`` (jieba precise mode, or search mode when ``search``),
    without stock words, single characters or numbers."""
    folded = fold(text)
    cut = search_words(folded) if search else [w for w, _, _ in tokenizer()(folded)]
    out = set()
    for w in cut:
        if len(w) >= 2 and w not in STOP_WORDS and not re.fullmatch(r"[\W\d_]+", w):
            out.add(w)
    return out


def _weight(ws: set[str]) -> int:
    """Characters, not words: matching 规范性文件 says more than matching 管理."""
    return sum(len(w) for w in ws)


def plan_pieces(text: str) -> list[tuple[int, int]]:
    """The separate promises of a plan text (offsets): the text when short, else its
    sentences, and a long sentence that lists duties (…，…，…) clause by clause."""
    if len(normal(text)) <= LONG_PLAN:
        return [(0, len(text))]
    pieces: list[tuple[int, int]] = []
    for s, e in sentences(text):
        clauses = [(s + m.start(), s + m.end()) for m in CLAUSE_SPLIT.finditer(text[s:e])]
        if len(normal(text[s:e])) > LONG_PLAN and len(clauses) >= 4:
            pieces.extend(clauses)
        else:
            pieces.append((s, e))
    trimmed = []
    for s, e in pieces:
        if re.search(r"[:：]\s*$", text[s:e]):
            continue  # "…做好以下几项工作：" announces promises, it is not one
        while e > s and text[e - 1] in "。；;，,！!？? \u3000":
            e -= 1
        trimmed.append((s, e))
    return trimmed


def trace_promises(
    plans: Sequence[ItemRef],
    candidates: Sequence[ItemRef],
    threshold: float = PROMISE_MIN,
    top: int = 3,
) -> list[Promise]:
    """Every promise of ``plans`` with its best ``top`` deliveries among ``candidates``."""
    cand_sentences = [
        (k, s, e, words(ref.text[s:e], search=True))
        for k, ref in enumerate(candidates)
        for s, e in sentences(ref.text)
    ]
    out: list[Promise] = []
    for plan in plans:
        for ps, pe in plan_pieces(plan.text):
            want = words(plan.text[ps:pe])
            if len(want) < 2 and not (want and len(normal(plan.text[ps:pe])) >= 4):
                continue  # a clause of stock words only (提升政府公信力) promises nothing checkable
            best: dict[int, tuple[float, int, int]] = {}
            for k, s, e, have in cand_sentences:
                score = _weight(want & have) / _weight(want)
                if score > 0 and (k not in best or score > best[k][0]):
                    best[k] = (score, s, e)
            ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:top]
            matches = [
                Delivery(candidates[k], candidates[k].text[s:e], s, e, score)
                for k, (score, s, e) in ranked
            ]
            score = matches[0].score if matches else 0.0
            status = "found" if score >= threshold else "no trace found"
            out.append(Promise(plan, plan.text[ps:pe], status, score, matches, ps, pe))
    return out


def find_copied(
    a: Sequence[ItemRef],
    b: Sequence[ItemRef],
    min_chars: int = COPY_MIN_CHARS,
    near: float = COPY_NEAR,
) -> list[Copied]:
    """Sentences of B repeating A's: verbatim (1.0), containing one, or nearly (Dice)."""
    a_sents = []
    exact: dict[str, int] = {}
    for ref in a:
        for s, e in sentences(ref.text):
            key = normal(ref.text[s:e])
            if len(key) >= min_chars:
                exact.setdefault(key, len(a_sents))
                a_sents.append((ref, ref.text[s:e], key, all_bigrams(key)))
    out: list[Copied] = []
    for ref in b:
        for s, e in sentences(ref.text):
            key = normal(ref.text[s:e])
            if len(key) < min_chars:
                continue
            found: tuple[int, float] | None = None
            if key in exact:
                found = (exact[key], 1.0)
            else:
                bag = all_bigrams(key)
                for n, (_, _, akey, abag) in enumerate(a_sents):
                    if akey in key:
                        score = len(akey) / len(key)
                    elif 0.7 <= len(akey) / len(key) <= 1.4:
                        score = dice(bag, abag)
                    else:
                        continue
                    if (akey in key or score >= near) and (found is None or score > found[1]):
                        found = (n, score)
            if found is not None:
                aref, atext, _, _ = a_sents[found[0]]
                out.append(
                    Copied(
                        ref.text[s:e],
                        atext,
                        aref.paragraph,
                        ref.paragraph,
                        ref.start + s,
                        ref.start + e,
                        found[1],
                    )
                )
    return out
