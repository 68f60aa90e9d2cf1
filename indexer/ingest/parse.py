"""Report text → paragraphs with kind, heading path, items and statutory section.

Real reports are messy: web-page residue above the title, titles split over two
lines or missing, headings numbered at four levels or not at all, run-in headings
that share a line with their body, 一是…二是… items inside long paragraphs, and a
signature and date at the end.  The passes below go from the outside in: site lines
and title at the top, signature and date at the bottom, then headings and body in
between.  Sections are decided by what headings and text *say* (see ``sections.py``),
never by position or numbering, because units order and omit parts freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Item, Paragraph
from .sections import SectionTracker, classify_heading
from .split import split_long_line

CN_NUM = "一二三四五六七八九十"
END_PUNCT = "。；;！!？?：:…"
SITE_LINE = re.compile(
    r"^(新闻|首页|当前位置|您当前的位置|您当前所在位置|您所在的位置|字号|打印|关闭|分享|索引号|发布机构|"
    r"发文机关|发布日期|发文日期|成文日期|成文时间|发文时间|效力状态|主题分类|体裁分类|组配分类|公文种类|"
    r"发文字号|文号|标题|信息来源|文章来源|来源|日期|时间|发布时间|更新时间|浏览次数|今天是|无障碍|"
    r"政府信息公开$|工作报告$|【|\[)|>|＞|›|星期[一二三四五六日天]|简体\s*\|"
)
DATE_LINE = re.compile(r"^((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
CLOSING_FORMULA = re.compile(r"^(特此报告|专此报告|以上报告|特此汇报)[。.！!]?$")
TITLE_WORDS = re.compile(r"法治政府建设|法治建设|依法行政|法治.*报告")
HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^(第[{CN_NUM}]{{1,3}}(?:部分|章)|[{CN_NUM}]{{1,3}}[、.．])\s*(.*)$")),
    (2, re.compile(rf"^([（(][{CN_NUM}]{{1,3}}[）)])\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2}(?:[.．、](?!\d)))\s*(.*)$")),
    (4, re.compile(r"^([（(]\d{1,2}[）)])\s*(.*)$")),
)
RUN_IN_HEAD_MAX = 40
ITEM_MARKER = re.compile(
    rf"(?:^|(?<=[。；;：:，,！？!?\s”」）)]))((?:[{CN_NUM}]{{1,2}}是)|(?:第[{CN_NUM}]{{1,2}}(?=[，,、])))"
)


@dataclass
class Line:
    """A non-blank source line: ``raw`` as written, ``text`` stripped for display."""

    raw: str
    text: str


def split_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    pieces = (raw for line in text.split("\n") for raw in split_long_line(line))
    return [Line(raw, raw.strip()) for raw in pieces if raw.strip()]


def _ends_open(text: str) -> bool:
    return not text or text[-1] not in END_PUNCT


def is_date_line(text: str) -> bool:
    return DATE_LINE.match(re.sub(r"\s+", "", text)) is not None


def heading_of(text: str) -> tuple[int, str, str] | None:
    """(level, heading text, run-in body) if the line opens with heading numbering."""
    for level, pattern in HEADING_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        number, rest = m.group(1), m.group(2)
        if re.match(rf"^[{CN_NUM}]{{1,2}}是", text):
            return None
        stop = min((rest.find(p) for p in "。；;" if p in rest), default=-1)
        if stop == -1:
            limit = 70 if level == 1 else 45
            if len(rest) <= limit:
                return level, number + rest, ""
            return None
        if stop <= RUN_IN_HEAD_MAX:
            body = rest[stop + 1 :].strip()
            return level, number + rest[:stop], body
        return None
    return None


def is_unnumbered_heading(text: str) -> bool:
    """Short slogan or section lines with no numbering and no closing punctuation."""
    return (
        len(text) <= 30
        and _ends_open(text)
        and "。" not in text
        and not is_date_line(text)
        and not re.match(r"^\d", text)
    )


def find_items(text: str, start: int = 0, whole_is_item: bool = False) -> list[Item]:
    """Enumerated items (一是…二是…, 第一，…) in ``text[start:]``, numbered in sequence.

    A marker counts only after punctuation or at the start, and only in order
    (一, 二, 三 …), so words such as 统一是 never open an item.
    """
    markers: list[tuple[int, str]] = []
    expected = 1
    for m in ITEM_MARKER.finditer(text, start):
        label = m.group(1)
        digit = label.strip("第是")
        value = CN_NUM.index(digit) + 1 if len(digit) == 1 else 10 + CN_NUM.index(digit[-1]) + 1
        if value == expected or (not markers and m.start() == start and whole_is_item):
            markers.append((m.start(), label))
            expected = value + 1
    items = []
    for i, (pos, label) in enumerate(markers):
        end = markers[i + 1][0] if i + 1 < len(markers) else len(text)
        items.append(Item(label=label, start=pos, end=len(text[:end].rstrip())))
    return items


def _is_site_line(text: str) -> bool:
    """Page furniture above the title: breadcrumbs, 索引号 blocks (also as "- 索 引 号:"),
    date and source lines, a bare "工作报告" column name."""
    squeezed = re.sub(r"[\s\u3000]+", "", text).lstrip("-•·*")
    if len(squeezed) >= 80:
        return False
    return bool(SITE_LINE.search(squeezed) or SITE_LINE.search(text))


def _leading_meta(lines: list[Line]) -> tuple[list[str], int, list[str]]:
    """Site lines, then the title (one line or two), then an addressee line.

    Returns (kinds of the consumed lines, number consumed, title parts).
    """
    kinds: list[str] = []
    i = 0
    while i < len(lines) and i < 16 and _is_site_line(lines[i].text):
        kinds.append("site")
        i += 1
    title: list[str] = []
    first = lines[i].text if i < len(lines) else ""
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    if first and _ends_open(first) and len(first) <= 60 and heading_of(first) is None:
        looks_title = TITLE_WORDS.search(first) or re.search(r"报告$", first)
        unit_then_about = nxt.startswith("关于") and len(first) <= 25
        if looks_title or unit_then_about:
            title.append(first)
            kinds.append("title")
            i += 1
            continues = (
                nxt
                and _ends_open(nxt)
                and len(nxt) <= 30
                and heading_of(nxt) is None
                and not re.search(r"(报告|总结)$", first)
                and re.search(r"报告|情况|总结|汇报|工作$", nxt)
            )
            if continues or unit_then_about:
                title.append(nxt)
                kinds.append("title")
                i += 1
    if i < len(lines) and re.search(r"[:：]$", lines[i].text) and len(lines[i].text) <= 25:
        if heading_of(lines[i].text) is None and not re.search(r"\d{4}年", lines[i].text):
            kinds.append("addressee")
            i += 1
    return kinds, i, title


def _trailing_closing(lines: list[Line], floor: int) -> int:
    """Index of the first closing line (formula, signature, date); len(lines) if none."""
    end = len(lines)
    j = end - 1
    saw_date = False
    while j >= floor and is_date_line(lines[j].text):
        saw_date = True
        j -= 1
    signature = 0
    while j >= floor and signature < 3 and (saw_date or signature == 0):
        text = lines[j].text
        if CLOSING_FORMULA.match(text):
            j -= 1
            break
        if len(text) <= 30 and not re.search(r"[。，,；;：:]", text) and heading_of(text) is None:
            if not saw_date and not (j > floor and CLOSING_FORMULA.match(lines[j - 1].text)):
                break
            signature += 1
            j -= 1
            continue
        break
    if j >= floor and CLOSING_FORMULA.match(lines[j].text):
        j -= 1
    return j + 1


def parse_lines(text: str, report_year: int | None = None) -> list[Paragraph]:
    """The whole structural pass: every non-blank line becomes a Paragraph."""
    lines = split_lines(text)
    if not lines:
        return []
    kinds, body_start, title = _leading_meta(lines)
    closing_start = max(_trailing_closing(lines, body_start), body_start)
    paragraphs: list[Paragraph] = []
    if title:
        paragraphs.append(Paragraph(number=0, kind="title", text="".join(title)))
    for kind, line in zip(kinds, lines[: len(kinds)], strict=False):
        if kind != "title":
            paragraphs.append(Paragraph(number=0, kind=kind, text=line.text))
    # keep source order: site lines precede the title
    paragraphs.sort(key=lambda p: {"site": 0, "title": 1, "addressee": 2}[p.kind])
    tracker = SectionTracker(report_year)
    seen_heading = False
    for idx in range(body_start, closing_start):
        text = lines[idx].text
        head = heading_of(text)
        if head is None and is_unnumbered_heading(text):
            if seen_heading or classify_heading(text, 0, report_year) is not None:
                head = (0, text, "")
        if head is None and not seen_heading and idx == body_start and not title:
            if is_unnumbered_heading(text) and TITLE_WORDS.search(text):
                paragraphs.append(Paragraph(number=0, kind="title", text=text))
                continue
        if head is not None:
            level, heading_text, body = head
            seen_heading = True
            path, section, level = tracker.enter_heading(level, heading_text)
            para = Paragraph(0, "heading" if not body else "body", text, section, path, level)
            if body:
                para.items = find_items(text, start=len(text) - len(body))
                para.section = tracker.body_section(body)
            paragraphs.append(para)
            continue
        if not seen_heading and tracker.is_opening(text):
            paragraphs.append(Paragraph(0, "opening", text, "other"))
            continue
        items = find_items(text, whole_is_item=True)
        path, level = tracker.path()
        paragraphs.append(
            Paragraph(0, "body", text, tracker.body_section(text), path, level, items)
        )
    for line in lines[closing_start:]:
        paragraphs.append(Paragraph(0, "closing", line.text, "other"))
    for number, para in enumerate(paragraphs, start=1):
        para.number = number
    return paragraphs
