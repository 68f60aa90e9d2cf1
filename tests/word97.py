"""A minimal Word 97 (.doc) writer for the tests: no Debian package writes .doc files.

LibreOffice could, but it is a large install for CI; catdoc and antiword only read.
So the tests write the file format itself, as [MS-CFB] and [MS-DOC] specify it: an
OLE2 compound file (version 3, 512-byte sectors, no mini stream: both streams are
padded past the 4096-byte cutoff) holding a ``WordDocument`` stream — a Word 97 FIB
(nFib 0x00C1, fWhichTblStm set, ccpText, and the Clx position in fibRgFcLcb97) and
the text as UTF-16LE with ``\\r`` paragraph marks — and a ``1Table`` stream holding
the Clx: one uncompressed piece covering the whole text.  ``file(1)`` calls it
"CDFV2 Microsoft Word"; catdoc reads it as Word 97.  It has no style sheet or
formatting tables, which antiword needs, so antiword is not exercised on it.  A
``header`` story (with a ``PAGE`` field) can follow the main text, as Word stores it.
"""

import struct

SECTOR = 512
ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def word_streams(text: str, header: str = "", nfib: int = 0x00C1) -> tuple[bytes, bytes]:
    """``text`` as the main document; ``header`` as the header/footer story after it."""
    body = text.replace("\r\n", "\n").replace("\n", "\r")
    if not body.endswith("\r"):
        body += "\r"
    ccp = len(body)
    stories = body + (header.replace("\n", "\r") + "\r\r" if header else "")
    encoded = stories.encode("utf-16-le")
    fc_text = 0x800
    # 1Table: the Clx (one piece: all text, uncompressed UTF-16 at fc_text)
    plcpcd = struct.pack("<II", 0, len(stories)) + struct.pack("<HIH", 0, fc_text, 0)
    clx = b"\x02" + struct.pack("<I", len(plcpcd)) + plcpcd
    table = clx
    word_size = fc_text + len(encoded)
    fib = bytearray(fc_text)
    struct.pack_into("<HHHHHHH", fib, 0, 0xA5EC, nfib, 0, 0x0804, 0, 0x1200, 0x00BF)
    struct.pack_into("<II", fib, 0x18, fc_text, fc_text + len(encoded))  # fcMin/fcMac (old readers)
    struct.pack_into("<H", fib, 32, 14)  # csw
    struct.pack_into("<H", fib, 62, 22)  # cslw
    lw = 64
    struct.pack_into("<I", fib, lw + 0, word_size)  # cbMac
    struct.pack_into("<I", fib, lw + 12, ccp)  # ccpText
    struct.pack_into("<I", fib, lw + 20, len(stories) - ccp)  # ccpHdd: the header story
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb
    pairs = 154
    struct.pack_into("<II", fib, pairs + 8 * 33, 0, len(clx))  # fcClx, lcbClx
    word = bytes(fib) + encoded
    return word, table


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (v3, 512-byte sectors) with each stream padded past 4096 bytes."""
    names = list(streams)
    data = {n: streams[n] + b"\x00" * max(0, 4096 - len(streams[n])) for n in names}
    sectors: list[bytes] = []
    fat: list[int] = []
    starts = {}
    for n in names:
        blob = data[n] + b"\x00" * (-len(data[n]) % SECTOR)
        count = len(blob) // SECTOR
        starts[n] = len(sectors)
        for i in range(count):
            sectors.append(blob[i * SECTOR : (i + 1) * SECTOR])
            fat.append(len(sectors) if i < count - 1 else ENDOFCHAIN)
    # directory: root, then streams; tree: root.child = last name, left siblings chain
    entries = []

    def entry(name, kind, left, right, child, start, size):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child)
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    order = sorted(names, key=lambda n: (len(n), n.upper()))
    # a chain: the largest at the top, each one's left sibling the next smaller
    ids = {n: i + 1 for i, n in enumerate(order)}
    entries.append(entry("Root Entry", 5, NOSTREAM, NOSTREAM, ids[order[-1]], ENDOFCHAIN, 0))
    for i, n in enumerate(order):
        left = ids[order[i - 1]] if i > 0 else NOSTREAM
        entries.append(entry(n, 2, left, NOSTREAM, NOSTREAM, starts[n], len(data[n])))
    directory = b"".join(entries)
    directory += b"\x00" * (-len(directory) % SECTOR)
    dir_start = len(sectors)
    for i in range(len(directory) // SECTOR):
        sectors.append(directory[i * SECTOR : (i + 1) * SECTOR])
        fat.append(len(sectors) if i < len(directory) // SECTOR - 1 else ENDOFCHAIN)
    # unused directory slots must be empty entries
    fat_count = 1
    while (len(sectors) + fat_count) * 4 > fat_count * SECTOR:
        fat_count += 1
    fat_start = len(sectors)
    fat += [FATSECT] * fat_count
    fat += [FREESECT] * (fat_count * SECTOR // 4 - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(fat_count):
        sectors.append(fat_bytes[i * SECTOR : (i + 1) * SECTOR])
    difat = [fat_start + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fat_count, dir_start, 0, 4096, ENDOFCHAIN, 0, ENDOFCHAIN, 0)
        + struct.pack("<109I", *difat)
    )
    assert len(header) == SECTOR, len(header)
    return header + b"".join(sectors)


def word97(text: str, header: str = "", nfib: int = 0x00C1) -> bytes:
    word, table = word_streams(text, header, nfib)
    return compound_file({"WordDocument": word, "1Table": table})
