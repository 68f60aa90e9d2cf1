"""Which reports are the same unit's: the identity behind the year view.

Units name themselves inconsistently from one year to the next (区政府办公室 / 区政府办,
南开区合作交流办党组 / 合作交流办), and the district may be stated one year and not the
next.  ``unit_key`` folds the name to a canonical short form and prefixes the district
(``东丽区|政府办``); ``group_reports`` then lets a report whose district is unknown join
the one group of the same name that has a district — a missing district does not split
a unit from itself, but two districts' 政府办 stay apart.  A ``unit_key`` stated in the
manifest (``ReportMeta.unit_key`` without ``|``) is taken literally and wins.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from ..fold import fold
from ..model import ReportMeta

PARTY = re.compile(r"(党组|党委|党工委|党总支|党支部|机关)+$")
# longest first: each pair maps a spelled-out form to its usual abbreviation
ABBREVIATIONS = (
    ("人民政府办公室", "政府办"),
    ("街道办事处", "街"),
    ("办公室", "办"),
    ("人民政府", "政府"),
    ("委员会", "委"),
    ("办事处", "街"),
    ("街道", "街"),
)
SEP = "|"
# words that begin with a level character but are part of the name: 市场监管局 keeps its 市
LEVEL_WORDS = ("市场", "市政", "市容", "市民", "市属", "区域", "区属", "县域", "县属")
DISTRICT_PREFIX = re.compile(
    r"^(?:中共)?(?:[\u4e00-\u9fff]{2,3}市)?([\u4e00-\u9fff]{2}[区县])(?=[\u4e00-\u9fff]{2})"
)


def unit_name(unit: str | None, district: str | None = None) -> str:
    """Canonical short name: no 中共/party suffix, no district or 区/市 prefix, abbreviated."""
    name = fold(unit or "")
    name = re.sub(r"^中共", "", name)
    name = re.sub(r"^[\u4e00-\u9fff]{2,3}市(?=[\u4e00-\u9fff]{2}[区县])", "", name)
    name = PARTY.sub("", name) or name
    if district and name.startswith(fold(district)) and len(name) > len(fold(district)) + 1:
        name = name[len(fold(district)) :]
    name = re.sub(r"^[\u4e00-\u9fff]{2}[区县](?=[\u4e00-\u9fff]{2})", "", name)
    if len(name) > 2 and name[0] in "区市县" and not name.startswith(LEVEL_WORDS):
        name = name[1:]  # 区政府办 → 政府办, 区市场监管局 → 市场监管局
    for long, short in ABBREVIATIONS:
        if name.endswith(long):
            name = name[: -len(long)] + short
            break
    return name


@functools.lru_cache(maxsize=1 << 16)  # a unit has a report a year: keys repeat
def unit_key(unit: str | None, district: str | None) -> str:
    """``district|name`` (district empty when unknown); see ``group_reports`` for merging."""
    if not district:  # a name that begins with its district says where it is
        m = DISTRICT_PREFIX.match(fold(unit or ""))
        district = m.group(1) if m else None
    return f"{fold(district or '')}{SEP}{unit_name(unit, district)}"


def key_of(meta: ReportMeta) -> str:
    return meta.unit_key or unit_key(meta.unit, meta.district)


def group_reports(metas: Iterable[ReportMeta]) -> dict[str, list[ReportMeta]]:
    """Reports grouped by unit, each group sorted by year; district-less keys merged
    into the single same-name group that has a district (kept apart if several)."""
    groups: dict[str, list[ReportMeta]] = defaultdict(list)
    for meta in metas:
        groups[key_of(meta)].append(meta)
    by_name: dict[str, list[str]] = defaultdict(list)
    for key in groups:
        if SEP in key and not key.startswith(SEP):
            by_name[key.split(SEP, 1)[1]].append(key)
    for key in [k for k in groups if k.startswith(SEP)]:
        targets = by_name.get(key[1:], [])
        if len(targets) == 1:
            groups[targets[0]].extend(groups.pop(key))
    for members in groups.values():
        members.sort(key=lambda m: (m.year or 0, m.id))
    return dict(groups)


def group_of(metas: Iterable[ReportMeta]) -> dict[str, str]:
    """Report id → its unit group key."""
    return {m.id: key for key, members in group_reports(metas).items() for m in members}
