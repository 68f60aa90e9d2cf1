"""Is a string an organisation's name, or a fragment of a sentence taken for one?

The unit of a report is read from its title, signature or opening, and a loose rule
("ends in 委/局/办/街") took sentence fragments for units on real openings: 召开区委,
研究部署, 本区各级党委(党组)和政府, 充分发挥街, 区委常委会、区委.  A fragment in the unit
facet splits a unit from itself in every comparison, so a name must pass all of these:

- it ends in an organ suffix (人民政府, 办公室, 局, 委员会, 街道办事处, 街道, 镇, 乡,
  管委会, 中心, 党组 …) or is a development zone (高新区, 开发区, 新区 …);
- it has no verb or adverb of the report's prose (召开, 研究部署, 发挥, 贯彻, 推进 …)
  outside the fixed names that contain one (组织部, 政策研究室, 领导小组);
- it does not start with a pronoun or preposition (本, 各, 我, 在, 对 …) unless a real
  division does (全椒县), holds no list punctuation, and joins no party and government
  bodies (…党委和政府); brackets may only hold a place (高新区（新市区）人民政府).

When a candidate fails, the caller leaves the unit ``None`` rather than guess.
"""

from __future__ import annotations

import re

from .divisions import is_division, leading_division

ORGAN_SUFFIX = re.compile(
    r"(人民政府|政府办公室|政府办|办公室|街道办事处|办事处|街道|委员会|管委会|工委|党组|党委|"
    r"党工委|局|委|办|厅|部|署|街|镇|乡|中心|所|站|队|院|处|会|室|团|馆|社)$"
)
ZONE_SUFFIX = re.compile(r"(高新区|开发区|经开区|新区|园区|保税区|试验区|合作区|示范区|管理区)$")
FIXED_NAMES = re.compile(
    r"组织部|宣传部|统战部|政策研究|研究室|研究院|研究中心|研究所|领导小组|全面依法治|依法治[区县市镇街乡]|"
    r"发展和改革|发展改革|推进办|建设局|建设管理|行政执法|综合执法|促进局|服务中心|管理局|管理委员会|"
    r"协调|发展中心"
)
PROSE = re.compile(
    r"召开|研究|部署|发挥|充分|贯彻|落实|推进|推动|加强|开展|坚持|深入|认真|组织|学习|领导|指导|"
    r"按照|根据|围绕|扎实|积极|持续|切实|全面|进一步|不断|高度|重视|印发|制定|审议|听取|主持|要求|"
    r"强化|提升|完善|健全|建立|带头|各级|始终|注重|聚焦|紧扣|认真|抓好|做好|实施|履行|落地|取得|"
    r"明确|构建|打造|压实|统筹|牢固|树立|营造|以来|今年|去年|全年|一年|成立|召集|印发|出台|邀请"
)
BAD_START = re.compile(r"^[本各我该在把从与及其经请就这此另]")  # 向阳路街, 和平区, 于都县 are names
JOINED_BODIES = re.compile(
    r"(党委|党组|区委|县委|市委|[)）])[和与及、]|[和与及、](政府|区政府|县政府|党委)"
)
LIST_MARKS = re.compile(r"[、，,。；;：:！？!?“”\"《》<>]")
BRACKET = re.compile(r"[（(]([^（）()]*)[）)]")
GENERIC = frozenset(
    "区委 区政府 区人民政府 市委 市政府 市人民政府 县委 县政府 县人民政府 镇政府 乡政府 镇党委 乡党委 "
    "区委区政府 县委县政府 市委市政府 党中央 国务院 党委 政府 党组 党工委 街道 管委会 办事处".split()
)
GOVERNMENT = frozenset(
    "区政府 区人民政府 县政府 县人民政府 旗政府 旗人民政府 市政府 市人民政府".split()
)
MAX_CHARS = 30


def is_unit_name(name: str | None) -> bool:
    """True if ``name`` looks like an organisation's name and nothing else (see module)."""
    if not name or len(name) < 2 or len(name) > MAX_CHARS or name in GENERIC:
        return False
    for inner in BRACKET.findall(name):
        if not (
            is_division(inner) or ZONE_SUFFIX.search(inner) or re.search(r"[区县市旗]$", inner)
        ):
            return False
    plain = BRACKET.sub("", name)
    if LIST_MARKS.search(plain) or re.search(r"\s", plain) or re.search(r"\d", plain):
        return False
    if not (ORGAN_SUFFIX.search(plain) or ZONE_SUFFIX.search(plain)):
        return False
    if BAD_START.match(plain) and leading_division(plain) is None:
        return False
    if JOINED_BODIES.search(name):
        return False
    return not PROSE.search(FIXED_NAMES.sub("", plain))


def clean_unit(raw: str) -> str | None:
    """A unit name from a title, signature or opening clause, or ``None`` if it is not one.

    Drops 中共 and 关于, a trailing party body when an organ remains (…合作交流办党组 →
    …合作交流办), the first of two bodies written side by side (党工委 + 办事处: the last
    signs), and a parent government before a street or town (鲤城区人民政府金龙街道办事处 →
    金龙街道办事处, whose district the caller still reads from the full name).
    """
    raw = re.sub(r"^[\s：:，,\-—]+|[\s：:，,\-—]+$", "", raw)
    if re.search(r"[\s\u3000]", raw):
        raw = re.split(r"[\s\u3000]+", raw)[-1]
    raw = re.sub(r"^(中共|关于)", "", raw)
    stripped = re.sub(r"(党组|党委|党工委|党总支|党支部)$", "", raw)
    if stripped != raw and ORGAN_SUFFIX.search(stripped) and stripped not in GENERIC:
        raw = stripped
    raw = re.sub(r"^.+?人民政府(?=.+?(街道办事处|街道|镇人民政府|乡人民政府|镇|乡)$)", "", raw)
    return raw if is_unit_name(raw) else None
