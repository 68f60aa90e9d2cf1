"""Radical and compatibility code points → the ideographs they stand for.

PDF producers (Word's and WPS's exporters, some Chinese fonts' ToUnicode maps) emit
the radical code points instead of the ordinary ideographs: ⼈ for 人, ⺠ for 民,
⻓ for 长.  They look identical but never match a search.  NFKC maps the Kangxi
Radicals block (U+2F00–U+2FD5) and the CJK Compatibility Ideographs; the CJK
Radicals Supplement (U+2E80–U+2EF3) has no decomposition except ⺟ and ⻳, so the
table below (after Unicode's EquivalentUnifiedIdeograph.txt, the radicals that are
also whole characters) covers it.  Chromium's own PDFs with Noto CJK SC carry Kangxi
radicals in their text layer (⼀ ⼯ ⼈ ⺠ ⻔ ⼾), so the tests exercise this for real.  Only these blocks are normalised: NFKC on the
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
# NFKC maps these Kangxi radicals to the traditional character; a simplified-Chinese font
# draws the radical with the simplified glyph (⼾ looks like 户, not 戶).
SIMPLIFIED = dict(
    zip(
        "戶長門馬魚鳥貝車頁風飛龍龜齒齊麥黃韋見鹵黽",
        "户长门马鱼鸟贝车页风飞龙龟齿齐麦黄韦见卤黾",
        strict=True,
    )
)
DASHES = {"\u2e3a": "——", "\u2e3b": "———"}  # two- and three-em dash ligatures
ODD = re.compile("[\u2e3a\u2e3b\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff]")


def normalise_radicals(text: str) -> str:
    """``text`` with radical and compatibility code points replaced by ideographs.

    Whether a Kangxi radical means the simplified or the traditional character is
    decided by the rest of the text: simplified unless the text reads as traditional.
    """
    if not ODD.search(text):
        return text
    from .txt import plausibility

    simplified = plausibility(text, "gb18030") >= plausibility(text, "big5")

    def one(match: re.Match[str]) -> str:
        ch = match.group(0)
        if ch in DASHES:
            return DASHES[ch]
        if ch in SUPPLEMENT:
            return SUPPLEMENT[ch]
        mapped = unicodedata.normalize("NFKC", ch)
        is_radical = "\u2f00" <= ch <= "\u2fdf"
        return SIMPLIFIED.get(mapped, mapped) if simplified and is_radical else mapped

    return ODD.sub(one, text)
