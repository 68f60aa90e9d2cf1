"""Pairing the items of two reports, diffing them, and tracing plans and copies.

Similarity is the Dice coefficient of character-bigram multisets of folded text
(NFKC, whitespace and punctuation removed): ``2·|A∩B| / (|A|+|B|)``.  Bigrams, because
Chinese has no spaces and word segmentation would make the score depend on a
dictionary; a bag, because reports reorder clauses from one year to the next and the
score should not care; Dice rather than Jaccard because it reads as "share of the text
the two have in common" (two texts sharing half their bigrams score 0.5).  It is
length-sensitive on purpose: an item that grew to three times its size has *changed*.
The genre's stock words (法治政府建设, 推进, 加强, 进一步 …) are cut out before counting:
every report is full of them, and with them two unrelated items of these reports
already share a fifth of their bigrams.  Without them, unrelated items score below
0.09 in nine pairs out of ten on the seed reports, and items that treat the same duty
in two years 0.2–0.3 even when fully rewritten.

Pairing is greedy best-first: within the same section first (a plan is compared with a
plan), then across sections for what is left, so an item moved from 举措 to 第一责任人
is still found.  Greedy is enough: items of one report rarely resemble each other.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..fold import fold

PUNCT = re.compile(r"[\W_]+")
UNCHANGED = 0.9  # at or above: the same item, perhaps a character or two apart
PAIR_MIN = 0.18  # same section: below this, different items
CROSS_MIN = 0.35  # an item that moved to another section must resemble its old self more
SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
CLAUSE_SPLIT = re.compile(r"[^，,]+")


@dataclass
class ItemRef:
    """An item of a report in a year view: where it is and what it says."""

    paragraph: int
    section: str
    heading: list[str]
    text: str
    item: str = ""
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "section": self.section,
            "heading": self.heading,
            "text": self.text,
            "item": self.item,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class DiffOp:
    op: str  # equal | insert | delete
    text: str

    def to_dict(self) -> dict:
        return {"op": self.op, "text": self.text}


@dataclass
class Pair:
    """``unchanged`` / ``changed`` (a and b) / ``new`` (b only) / ``dropped`` (a only)."""

    status: str
    section: str
    a: ItemRef | None
    b: ItemRef | None
    diff: list[DiffOp] = field(default_factory=list)
    score: float = 0.0

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "section": self.section,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "diff": [d.to_dict() for d in self.diff],
            "score": round(self.score, 3),
        }


# Words every report of the genre is full of; they say nothing about *what* was done.
GENERIC_WORDS = (
    "法治政府建设 法治建设 工作 推进 加强 进一步 开展 落实 贯彻 学习 全面 深入 持续 不断 提升 "
    "提高 坚持 强化 切实 做好 完善 健全 积极 认真 各项 相关 有关 重要 重点 主要 依法 继续 "
    "以及 我们 我办 我街 我局 单位 机关 领导 干部 水平 能力 推动 深化 有效 大力 努力 "
    "确保 实现 形成 更加 着力 年度 今年 明年 下一步 一是 二是 三是 四是 五是 六是"
)


STOCK = re.compile("|".join(sorted(set(GENERIC_WORDS.split()), key=len, reverse=True)))


def normal(text: str) -> str:
    """Matching form: folded, punctuation and symbols removed."""
    return PUNCT.sub("", fold(text))


def all_bigrams(text: str) -> Counter[str]:
    """Every character bigram of the matching form, stock words included."""
    n = normal(text)
    return Counter(n[i : i + 2] for i in range(len(n) - 1)) if len(n) > 1 else Counter([n])


def bigrams(text: str) -> Counter[str]:
    """The bag of character bigrams of ``text`` once its stock words are cut out (no
    bigram spans a cut, so 一是进一步加强 leaves nothing behind, not 是进)."""
    grams: Counter[str] = Counter()
    for chunk in STOCK.split(normal(text)):
        grams.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return grams


def dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 0.0
    return 2 * sum((a & b).values()) / total


def similarity(a: str, b: str) -> float:
    """Bigram Dice of two texts (see module docstring); 1.0 for identical texts."""
    return dice(bigrams(a), bigrams(b))


def align(
    a: Sequence[ItemRef], b: Sequence[ItemRef], threshold: float = PAIR_MIN
) -> list[tuple[int | None, int | None, float]]:
    """Index pairs (i, j, score); ``(i, None)`` dropped, ``(None, j)`` new, in B's order."""
    bag_a = [bigrams(x.text) for x in a]
    bag_b = [bigrams(y.text) for y in b]
    matched: dict[int, tuple[int, float]] = {}  # j -> (i, score)
    used_a: set[int] = set()
    for same_section, minimum in ((True, threshold), (False, max(threshold, CROSS_MIN))):
        candidates = []
        for i, x in enumerate(a):
            if i in used_a:
                continue
            for j, y in enumerate(b):
                if j in matched or (x.section == y.section) != same_section:
                    continue
                score = dice(bag_a[i], bag_b[j])
                if not bag_a[i] and not bag_b[j]:  # stock phrases only: compare literally
                    score = 1.0 if normal(x.text) == normal(y.text) else 0.0
                if score >= minimum:
                    candidates.append((score, -abs(i / max(len(a), 1) - j / max(len(b), 1)), i, j))
        for score, _, i, j in sorted(candidates, reverse=True):
            if i not in used_a and j not in matched:
                used_a.add(i)
                matched[j] = (i, score)
    out: list[tuple[int | None, int | None, float]] = []
    placed: set[int] = set()
    for j in range(len(b)):
        if j in matched:
            i, score = matched[j]
            # dropped items of A that came before this one go here, keeping A's order
            for k in range(i):
                if k not in used_a and k not in placed:
                    out.append((k, None, 0.0))
                    placed.add(k)
            out.append((i, j, score))
        else:
            out.append((None, j, 0.0))
    out.extend((k, None, 0.0) for k in range(len(a)) if k not in used_a and k not in placed)
    return out


def char_diff(a: str, b: str, min_equal: int = 3, min_shared: float = 0.25) -> list[DiffOp]:
    """Character-level diff (difflib) as equal/insert/delete runs.

    Equal runs shorter than ``min_equal`` between two changes are folded into the change:
    a lone shared 的 in the middle of a rewritten clause only makes the diff unreadable.
    When less than ``min_shared`` of the longer text survives, the item was rewritten,
    and the diff says so: all of A deleted, all of B inserted.
    """
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    shared = sum(size for _, _, size in sm.get_matching_blocks())
    if shared < min_shared * max(len(a), len(b), 1):
        return [DiffOp(op, t) for op, t in (("delete", a), ("insert", b)) if t]
    raw: list[tuple[str, str, str]] = []  # (op, a-part, b-part)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            raw.append(("equal", a[i1:i2], b[j1:j2]))
        else:
            raw.append(("change", a[i1:i2], b[j1:j2]))
    merged: list[list[str]] = []
    for n, (op, pa, pb) in enumerate(raw):
        inner = 0 < n < len(raw) - 1
        if op == "equal" and inner and len(pa) < min_equal:
            op = "change"
        if merged and merged[-1][0] == op == "change":
            merged[-1][1] += pa
            merged[-1][2] += pb
        else:
            merged.append([op, pa, pb])
    ops: list[DiffOp] = []
    for op, pa, pb in merged:
        if op == "equal":
            ops.append(DiffOp("equal", pa))
            continue
        if pa:
            ops.append(DiffOp("delete", pa))
        if pb:
            ops.append(DiffOp("insert", pb))
    return ops


def pair_items(a: Sequence[ItemRef], b: Sequence[ItemRef]) -> list[Pair]:
    """The year view's pairs: aligned, classified, with a diff where something changed."""
    pairs: list[Pair] = []
    for i, j, score in align(a, b):
        if i is not None and j is not None:
            x, y = a[i], b[j]
            if score >= UNCHANGED:
                diff = [] if x.text == y.text else char_diff(x.text, y.text)
                pairs.append(Pair("unchanged", y.section, x, y, diff, score))
            else:
                pairs.append(Pair("changed", y.section, x, y, char_diff(x.text, y.text), score))
        elif j is not None:
            pairs.append(Pair("new", b[j].section, None, b[j], [], 0.0))
        elif i is not None:
            pairs.append(Pair("dropped", a[i].section, a[i], None, [], 0.0))
    return pairs


def sentences(text: str) -> list[tuple[int, int]]:
    """Offsets of the sentences of ``text`` (ended by 。！？； or the end), trimmed."""
    out = []
    for m in SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out
