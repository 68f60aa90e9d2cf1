"""Numbers with their counters (审核合同23件, 集中学习4次, 出庭率100%), read from report text
and matched across two years where they speak of the same thing.

Reports prove delivery with figures, and a reader comparing two years wants "23 contracts
reviewed then, 31 now" side by side.  A figure is a number followed by a counter word
(件, 次, 条, 人, %, 万元 …); dates and years are not figures (年/月/日 are not counters),
and masked numbers (``*次``, as published) are skipped.  Two figures speak of the same
thing when they have the same counter and similar words before them in their clause
(character-bigram Dice of the contexts): 出庭率100% and 满意率100% do not match.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..fold import Folded
from .align import all_bigrams, dice

COUNTERS = (
    "个百分点|人次|场次|件次|户次|万元|亿元|平方米|公里|小时|分钟|"
    "%|件|次|条|人|名|个|家|场|项|篇|元|批|宗|份|处|期|户|所|天|起|类|套|部|台|本|册|周|轮|单|宗|支|间"
)
FIGURE = re.compile(rf"(?<![\d.*])(\d+(?:\.\d+)?)(余|多)?(万|亿)?(余|多)?({COUNTERS})")
CLAUSE_BREAK = re.compile(r"[，。；;：:,！？!?（）()]")
MAGNITUDE = {"万": 1e4, "亿": 1e8}
MATCH_MIN = 0.3
BEFORE, AFTER, SHOWN_BEFORE = 20, 6, 10


@dataclass
class FigureRef:
    """A number with its counter as written (``text``: 审核合同23件) and where it stands:
    ``start``/``end`` are offsets of number and counter in the paragraph text."""

    value: float
    counter: str
    text: str
    context: str
    paragraph: int
    start: int
    end: int

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "counter": self.counter,
            "text": self.text,
            "context": self.context,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class FigurePair:
    """The same measure in both years (a and b), or a figure only one year states."""

    counter: str
    a: FigureRef | None
    b: FigureRef | None
    score: float = 0.0

    def to_dict(self) -> dict:
        change = None
        if self.a is not None and self.b is not None:
            change = round(self.b.value - self.a.value, 4)
        return {
            "counter": self.counter,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "change": change,
            "score": round(self.score, 3),
        }


def extract(text: str, paragraph: int = 0) -> list[FigureRef]:
    """Every figure of ``text`` (matched on folded text, located in the original)."""
    folded = Folded.of(text)
    ft = folded.text
    out: list[FigureRef] = []
    out_end = 0  # end of the previous figure: its text is not this one's lead
    for m in FIGURE.finditer(ft):
        number, _, magnitude, _, counter = m.groups()
        value = float(number) * MAGNITUDE.get(magnitude or "", 1)
        value = int(value) if value.is_integer() else value
        clause_start = max((b.end() for b in CLAUSE_BREAK.finditer(ft, 0, m.start())), default=0)
        before = ft[max(clause_start, m.start() - BEFORE) : m.start()]
        after_m = CLAUSE_BREAK.search(ft, m.end())
        after = ft[m.end() : min(after_m.start() if after_m else len(ft), m.end() + AFTER)]
        lead = max(clause_start, m.start() - SHOWN_BEFORE, out_end)
        shown = re.sub(r"^[\d.%]*[年月日号]?", "", ft[lead : m.start()]) + ft[m.start() : m.end()]
        out_end = m.end()
        start, end = folded.origin[m.start()], folded.origin[m.end() - 1] + 1
        context = ft[m.start() - len(before) : m.end() + len(after)]
        out.append(FigureRef(value, counter, shown, context, paragraph, start, end))
    return out


def _context_bag(f: FigureRef) -> Counter[str]:
    """The words around a figure, without its own number and counter (nor other numbers)."""
    bag: Counter[str] = Counter()
    for part in FIGURE.sub("|", f.context).split("|"):
        bag.update(all_bigrams(re.sub(r"\d+(?:\.\d+)?", "", part)) if len(part) > 1 else {})
    return bag


def match(
    a: Sequence[FigureRef], b: Sequence[FigureRef], threshold: float = MATCH_MIN
) -> list[FigurePair]:
    """Pairs of figures about the same thing (best first, greedily), then the unmatched.

    Order: B's figures in report order, each with its A counterpart if any; then the
    figures only A states, in A's order.
    """
    bags_a = [_context_bag(f) for f in a]
    bags_b = [_context_bag(f) for f in b]
    candidates = []
    for i, fa in enumerate(a):
        for j, fb in enumerate(b):
            if fa.counter == fb.counter:
                score = dice(bags_a[i], bags_b[j])
                if score >= threshold:
                    candidates.append((score, i, j))
    used_a: set[int] = set()
    partner: dict[int, tuple[int, float]] = {}
    for score, i, j in sorted(candidates, reverse=True):
        if i not in used_a and j not in partner:
            used_a.add(i)
            partner[j] = (i, score)
    out: list[FigurePair] = []
    for j, fb in enumerate(b):
        if j in partner:
            i, score = partner[j]
            out.append(FigurePair(fb.counter, a[i], fb, score))
        else:
            out.append(FigurePair(fb.counter, None, fb, 0.0))
    out.extend(FigurePair(fa.counter, fa, None, 0.0) for i, fa in enumerate(a) if i not in used_a)
    return out
