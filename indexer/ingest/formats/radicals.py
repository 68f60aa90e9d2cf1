"""Radical and compatibility code points → the ideographs they stand for.

PDF producers (Word's and WPS's exporters, some Chinese fonts' ToUnicode maps) emit
the radical code points instead of the ordinary ideographs: ⼈ for 人, ⺠ for 民,
⻓ for 长.  They look identical but never match a search.  NFKC maps the Kangxi
Radicals block (U+2F00–U+2FD5) and the CJK Compatibility Ideographs; the CJK
Radicals Supplement (U+2E80–U+2EF3) has no decomposition except ⺟ and ⻳, so the
table below (after Unicode's EquivalentUnifiedIdeograph.txt, the radicals that are
also whole characters) covers it.  Only these blocks are normalised: NFKC on the
whole text would turn full-width ，：（） into ASCII and change every paragraph.
"""

from __future__ import annotations

import re
import unicodedata

SUPPLEMENT = dict(
    zip(
        "⺁⺅⺆⺉⺊⺋⺌⺎⺏⺐⺒⺓⺔⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺥⺦⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺶⺷⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
        "厂亻冂刂卜㔾小兀尣尢巳幺彑忄㣺扌攵旡日月歺母民氵氺灬爫爫丬犭王疋罒示礻竹糸纟罓罒㓁羊羊耂肀聿月臼艹艹艹虎衤覀西见角讠贝足车辶辶辶阝钅長镸长门阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟",
        strict=True,
    )
)
ODD = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


def _one(match: re.Match[str]) -> str:
    ch = match.group(0)
    return SUPPLEMENT.get(ch) or unicodedata.normalize("NFKC", ch)


def normalise_radicals(text: str) -> str:
    """``text`` with radical and compatibility code points replaced by ideographs."""
    return ODD.sub(_one, text)
