"""Bytes → text, trying strict decodings before guessing.

Reports arrive as UTF-8 (with or without BOM) or as GB18030/GBK from older office
software.  Strict decoding first means a valid file is never mis-guessed; charset
detection is only a last resort, and a file that still makes no sense is refused
with a reason rather than indexed as mojibake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

SUPPORTED_SUFFIXES = (".txt",)


class UnreadableFile(Exception):
    """A file that cannot become report text; ``str(exc)`` is the reason shown to the user."""


@dataclass
class Decoded:
    text: str
    encoding: str


def _looks_like_text(text: str) -> bool:
    """Reject decodings that are mostly control characters or carry no CJK at all."""
    if not text.strip():
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if controls > max(2, len(text) // 200):
        return False
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 2


def decode_bytes(data: bytes) -> Decoded:
    if not data.strip():
        raise UnreadableFile("empty file")
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary file (contains NUL bytes)")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return Decoded(text, "utf-8" if encoding == "utf-8-sig" else encoding)
        raise UnreadableFile(f"decodes as {encoding} but holds no Chinese report text")
    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return Decoded(text, best.encoding)
    raise UnreadableFile("not valid UTF-8 or GB18030, and no other encoding fits")


def read_report_text(path: Path) -> Decoded:
    """Read one file; raises UnreadableFile with a reason the user can act on."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from exc
    return decode_bytes(data)


def corpus_files(corpus: Path) -> list[Path]:
    """Report files below ``corpus`` in a stable order; other files are not reports."""
    return sorted(
        p
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )
