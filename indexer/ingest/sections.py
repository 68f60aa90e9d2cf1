"""Which statutory part a heading or paragraph belongs to, by what it says.

《法治政府建设与责任落实督察工作规定》 fixes five parts, but units name them in a
dozen ways, reorder them, omit them, and bury a shortcomings paragraph inside the
achievements.  So a heading's own words decide its section; a heading without such
words (a slogan) inherits from its parent; a top-level slogan in a topical report is
an achievement.  Body text can override only in one direction that reports really
use: "…但仍然存在不足：一是…" inside the achievements is a shortcomings paragraph.
"""

from __future__ import annotations

import re

from ..fold import fold

LEADERSHIP = re.compile(r"第一责任人|主要负责人履行|履行推进法治建设|述法|主要领导.{0,12}责任")
SHORTCOMINGS = re.compile(r"不足|存在.{0,6}问题|问题和|问题与|^问题|短板|差距|薄弱")
PLANS = re.compile(
    r"下一年度|下一步|下步|明年|今后|工作计划|工作打算|工作思路|工作设想|主要安排|工作安排|目标任务|工作重点|努力方向"
)
MEASURES = re.compile(
    r"举措|成效|做法|开展情况|完成情况|主要措施|主要工作|基本情况|工作情况|进展|取得|推进情况"
)
STRONG_SHORTCOMINGS = re.compile(r"存在的?(问题|不足)|问题和不足|不足和原因|不足及原因")
STRONG_PLANS = re.compile(r"下一年度|下一步|工作计划|工作打算|主要安排")
BODY_SHORTCOMING = re.compile(
    r"(但|仍然|仍|还|依然)[^。]{0,24}存在[^。]{0,16}(不足|问题|差距|短板|薄弱)|不足之处"
)
YEAR_AHEAD = re.compile(
    r"((?:19|20)\d{2})\s*年(?:度)?[^。]{0,12}(工作|任务|计划|安排|打算|重点|思路)"
)
OPENING_CUES = re.compile(r"报告如下|总结如下|汇报如下|情况如下|作如下|现将|现就")


def classify_heading(text: str, level: int, report_year: int | None) -> str | None:
    """Section named by a heading, or None for a slogan that names none.

    Top-level (and unnumbered) headings may use any wording; sub-headings only the
    unmistakable ones, so "（三）依法化解矛盾问题" stays an achievement.
    """
    t = fold(re.sub(r"^[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?", "", text))
    if LEADERSHIP.search(t):
        return "leadership"
    if level in (0, 1):
        if SHORTCOMINGS.search(t):
            return "shortcomings"
        if PLANS.search(t):
            return "plans"
        m = YEAR_AHEAD.search(t)
        if m and report_year is not None and int(m.group(1)) > report_year:
            return "plans"
        if MEASURES.search(t):
            return "measures"
        return None
    if STRONG_SHORTCOMINGS.search(t):
        return "shortcomings"
    if STRONG_PLANS.search(t):
        return "plans"
    return None


class SectionTracker:
    """Walks headings in order, keeping the heading path and the section in force."""

    def __init__(self, report_year: int | None) -> None:
        self.report_year = report_year
        self.stack: list[tuple[int, str, str]] = []  # (level, heading, section)

    def enter_heading(self, level: int, text: str) -> tuple[list[str], str, int]:
        """Push a heading; returns its path, its section and its effective level."""
        own = classify_heading(text, level, self.report_year)
        if level == 0:  # unnumbered: a section line is top-level, a slogan is a sibling
            if own is not None:
                level = 1
            else:
                level = self.stack[-1][0] if self.stack else 1
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        parent = self.stack[-1][2] if self.stack else None
        section = own or parent or "measures"
        self.stack.append((level, text, section))
        return [h for _, h, _ in self.stack], section, level

    def path(self) -> tuple[list[str], int]:
        return [h for _, h, _ in self.stack], (self.stack[-1][0] if self.stack else 0)

    def current(self) -> str:
        return self.stack[-1][2] if self.stack else "other"

    def body_section(self, text: str) -> str:
        section = self.current()
        if section == "measures" and BODY_SHORTCOMING.search(fold(text)):
            return "shortcomings"
        return section

    def is_opening(self, text: str) -> bool:
        """Before the first heading, text is the opening (``other``)."""
        return not self.stack or bool(OPENING_CUES.search(text))
