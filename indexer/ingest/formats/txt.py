"""Plain-text reports: bytes → str, trying strict decodings before guessing.

Reports arrive as UTF-8 (with or without BOM), as GB18030/GBK from older office
software, as UTF-16 from Windows Notepad ("Unicode"), and from Taiwan, Hong Kong
or Macao sources as Big5.  A BOM decides outright.  UTF-8 is strict enough that a
file that decodes as UTF-8 is UTF-8.  GB18030 and Big5 are not: almost any byte
string decodes as GB18030, Big5 included, into plausible-looking mojibake.  So
both are tried and the one whose characters are *common* characters of its own
script wins (GB2312 level 1 for GB, Big5's frequently-used block for Big5) — real
text is > 90 % common characters, mojibake far less.  Text that is not plausible in
any encoding is refused with a reason rather than indexed as garbage.
"""

from __future__ import annotations

import codecs
from functools import cache

import charset_normalizer

from . import Extracted, UnreadableFile, looks_like_report

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
PUNCT = set("，。、；：？！“”‘’（）《》〈〉【】—…·　＂％－０１２３４５６７８９")
SAMPLE = 200_000  # characters scored; enough to tell scripts apart, cheap on huge files
PLAUSIBLE = 0.8  # share of common characters below which a decoding is mojibake


@cache
def _common(encoding: str) -> frozenset[str]:
    """The everyday characters of a legacy encoding's script."""
    if encoding == "gb18030":  # GB2312 level 1: the 3,755 most used simplified characters
        cells = (bytes([hi, lo]) for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF))
        codec = "gb2312"
    else:  # Big5 常用字 block A440–C67E: 5,401 frequently used traditional characters
        cells = (
            bytes([hi, lo])
            for hi in range(0xA4, 0xC7)
            for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF))
        )
        codec = "cp950"
    chars = set()
    for cell in cells:
        try:
            chars.add(cell.decode(codec))
        except UnicodeDecodeError:
            continue
    return frozenset(chars | PUNCT)


def plausibility(text: str, encoding: str) -> float:
    """Share of non-ASCII characters that are common in ``encoding``'s script."""
    sample = [ch for ch in text[:SAMPLE] if ord(ch) > 0x7F and not ch.isspace()]
    if not sample:
        return 0.0
    common = _common(encoding)
    return sum(ch in common for ch in sample) / len(sample)


def _bom_decode(data: bytes) -> Extracted | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"starts with a {encoding} BOM but is not {encoding}") from exc
            name = "utf-8" if encoding == "utf-8-sig" else encoding + bom_order(bom)
            return Extracted(text.lstrip("\ufeff"), "txt", name)
    return None


def bom_order(bom: bytes) -> str:
    return "-le" if bom[:1] == b"\xff" else "-be"


def _utf16_without_bom(data: bytes) -> Extracted | None:
    """Chinese UTF-16 without a BOM: NUL bytes only in the high (ASCII) half of units."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_like_report(text) and plausibility(text, "gb18030") >= PLAUSIBLE:
            return Extracted(text, "txt", encoding)
    return None


def decode_bytes(data: bytes) -> Extracted:
    """Decode report bytes; raises UnreadableFile saying why nothing fits."""
    if not data.strip():
        raise UnreadableFile("empty file")
    found = _bom_decode(data)
    if found is None and b"\x00" in data[:4096]:
        found = _utf16_without_bom(data)
        if found is None:
            raise UnreadableFile("binary file (contains NUL bytes)")
    if found is None:
        try:
            found = Extracted(data.decode("utf-8"), "txt", "utf-8")
        except UnicodeDecodeError:
            found = _legacy_decode(data)
    if not looks_like_report(found.text):
        raise UnreadableFile(f"decodes as {found.encoding} but holds no Chinese report text")
    return found


def _legacy_decode(data: bytes) -> Extracted:
    scored: list[tuple[float, str, str]] = []
    for encoding, codec in (("gb18030", "gb18030"), ("big5", "cp950")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((plausibility(text, encoding), encoding, text))
    if scored:
        score, encoding, text = max(scored)
        if score >= PLAUSIBLE:
            return Extracted(text, "txt", encoding)
        tried = ", ".join(f"{e} {s:.0%}" for s, e, _ in scored)
        raise UnreadableFile(
            f"decodes only to garbled text (common characters: {tried}); "
            "save it as UTF-8 and index again"
        )
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and looks_like_report(str(best)):
        return Extracted(str(best), "txt", best.encoding)
    raise UnreadableFile("not valid UTF-8, GB18030 or Big5, and no other encoding fits")
