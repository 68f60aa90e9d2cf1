"""The main text of a Word 97–2003 file, read from its piece table ([MS-DOC]).

Word stores a document's characters in pieces (UTF-16LE, or one byte per character
for pieces with only Western text) listed in the Clx of the table stream; the FIB
says how many characters belong to the main document (``ccpText``) — footnotes,
headers and footers (with their page numbers) come after it and are left out here.
Fields keep their displayed result, not their code (``PAGE``, ``HYPERLINK "…"``);
table cells are joined by a tab and each row ends a line, as for .docx.

catdoc, the usual Debian reader, guesses per 256-byte block whether text is UTF-16
by looking for ASCII spaces or punctuation — a block of pure Chinese with
full-width punctuation has none, and comes out as Latin-1 mojibake.  Reading the
pieces needs no guess.  Files this cannot read (Word 6/95, encrypted, not a Word
stream at all) go to the command-line readers in ``doc.py``.
"""

from __future__ import annotations

import struct
from io import BytesIO

WORD97_NFIB = 0x00C1
CLX_PAIR = 33  # fcClx/lcbClx in fibRgFcLcb97


class NotWord97(Exception):
    """Not a Word 97+ document this reader handles; the message says why."""


def main_text(data: bytes) -> str:
    import olefile

    try:
        return _clean(_characters(*_streams(olefile.OleFileIO(BytesIO(data)))))
    except (OSError, ValueError, IndexError, struct.error) as exc:  # damaged compound file
        raise NotWord97(f"damaged compound file: {exc}") from exc


def _streams(ole) -> tuple[bytes, bytes]:
    with ole:
        if not ole.exists("WordDocument"):
            raise NotWord97("no WordDocument stream")
        word = ole.openstream("WordDocument").read()
        ident, nfib = struct.unpack_from("<HH", word, 0)
        flags = struct.unpack_from("<H", word, 10)[0]
        if ident != 0xA5EC or nfib < WORD97_NFIB:
            raise NotWord97(f"Word format before Word 97 (nFib {nfib:#x})")
        if flags & 0x0100:
            raise NotWord97("encrypted (password required)")
        table_name = "1Table" if flags & 0x0200 else "0Table"
        if not ole.exists(table_name):
            raise NotWord97(f"no {table_name} stream")
        table = ole.openstream(table_name).read()
    return word, table


def _characters(word: bytes, table: bytes) -> str:
    try:
        csw = struct.unpack_from("<H", word, 32)[0]
        lw_at = 34 + 2 * csw + 2
        ccp_text = struct.unpack_from("<i", word, lw_at + 12)[0]
        cslw = struct.unpack_from("<H", word, 34 + 2 * csw)[0]
        pairs_at = lw_at + 4 * cslw + 2
        fc_clx, lcb_clx = struct.unpack_from("<II", word, pairs_at + 8 * CLX_PAIR)
        clx = table[fc_clx : fc_clx + lcb_clx]
        pos = 0
        while pos < len(clx) and clx[pos] == 0x01:  # Prc: property modifiers, skipped
            pos += 3 + struct.unpack_from("<H", clx, pos + 1)[0]
        if pos >= len(clx) or clx[pos] != 0x02:
            raise NotWord97("no piece table")
        lcb = struct.unpack_from("<I", clx, pos + 1)[0]
        plc = clx[pos + 5 : pos + 5 + lcb]
        count = (lcb - 4) // 12
        cps = struct.unpack_from(f"<{count + 1}i", plc, 0)
        out: list[str] = []
        for i in range(count):
            start, end = cps[i], min(cps[i + 1], ccp_text)
            if start >= end:
                break
            fc = struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * i + 2)[0]
            if fc & 0x40000000:
                offset = (fc & ~0x40000000) // 2
                out.append(word[offset : offset + end - start].decode("cp1252", "replace"))
            else:
                out.append(word[fc : fc + 2 * (end - start)].decode("utf-16-le", "replace"))
        return "".join(out)
    except struct.error as exc:
        raise NotWord97(f"damaged Word structures: {exc}") from exc


def _clean(text: str) -> str:
    """Word's control characters → lines: fields keep their result, cells become tabs."""
    out: list[str] = []
    fields: list[bool] = []  # per open field: still inside its code part?
    for ch in text:
        if ch == "\x13":
            fields.append(True)
        elif ch == "\x14":
            if fields:
                fields[-1] = False
        elif ch == "\x15":
            if fields:
                fields.pop()
        elif fields and fields[-1]:
            continue  # field code such as PAGE or HYPERLINK "…"
        elif ch in "\r\x0b\x0c":
            out.append("\n")
        elif ch == "\x07":
            out.append("\x07")
        elif ch == "\x1e":
            out.append("-")
        elif ch == "\xa0":
            out.append(" ")
        elif ch >= " " or ch == "\t":
            out.append(ch)
    joined = "".join(out).replace("\x07\x07", "\n").replace("\x07", "\t")
    return "\n".join(line.strip() for line in joined.split("\n") if line.strip())
