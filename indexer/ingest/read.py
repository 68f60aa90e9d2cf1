"""A file on disk → report text, with the format decided by the file's content.

Crawled corpora name files badly: attachments saved as ``download.jsp``, a .doc
that is really a .docx, an .html that is a PDF.  So the first bytes decide the
format (``%PDF-``, a ZIP holding ``word/document.xml``, the OLE2 signature of Word
97 and WPS, markup for HTML) and the extension only breaks ties for plain text.
Each format lives in its own module under ``formats/``; the heavy ones import their
libraries only when such a file turns up.
"""

from __future__ import annotations

import importlib
import os
import re
import zipfile
from io import BytesIO
from pathlib import Path

from .formats import Extracted, UnreadableFile
from .formats.txt import decode_bytes

__all__ = [
    "Extracted",
    "UnreadableFile",
    "corpus_files",
    "corpus_names",
    "decode_bytes",
    "display_name",
    "read_report",
    "read_report_text",
    "sniff",
    "sniff_suffix",
]

FORMAT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "txt": (".txt", ".text"),
    "html": (".html", ".htm", ".shtml", ".xhtml", ".jhtml"),
    "docx": (".docx",),
    "doc": (".doc", ".wps"),
    "pdf": (".pdf",),
}
SUPPORTED_SUFFIXES = tuple(s for suffixes in FORMAT_SUFFIXES.values() for s in suffixes)
MANIFESTS = {"reports.toml", "reports.csv", "tasks.toml"}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MARKUP = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|meta|body|title)[\s>]", re.I | re.S
)
IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")


def sniff(data: bytes, suffix: str = "") -> str:
    """The format of ``data`` by its leading bytes: txt, html, docx, doc or pdf."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(OLE2):
        return "doc"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("a damaged ZIP/.docx file") from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnreadableFile("a ZIP archive that is not a Word .docx; unpack it into the corpus")
    if data.startswith(IMAGES):
        raise UnreadableFile("an image, not a text report — needs OCR")
    if data.startswith(b"{\\rtf"):
        raise UnreadableFile("an RTF document; save it as .docx or .txt")
    if MARKUP.match(_ascii_view(head)):
        return "html"
    if suffix.lower() in FORMAT_SUFFIXES["html"] and b"<" in head:
        return "html"
    return "txt"


def _ascii_view(head: bytes) -> bytes:
    """Markup tests on the first bytes, seeing through a BOM and UTF-16's NULs."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    return head.replace(b"\x00", b"")


def extract(data: bytes, suffix: str = "") -> Extracted:
    """Report text from a file's bytes in whatever format they are."""
    if not data.strip():
        raise UnreadableFile("empty file")
    fmt = sniff(data, suffix)
    if fmt == "txt":
        return decode_bytes(data)
    module = importlib.import_module(f".formats.{fmt}", __package__)
    return module.extract(data)


def read_report(path: Path, data: bytes | None = None) -> Extracted:
    """Read one file; raises UnreadableFile with a reason the user can act on."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from exc
    return extract(data, path.suffix)


def sniff_suffix(path: Path) -> str:
    """The format a file's extension claims (for files indexed before formats were recorded)."""
    suffix = path.suffix.lower()
    return next((f for f, suffixes in FORMAT_SUFFIXES.items() if suffix in suffixes), "txt")


def read_report_text(path: Path) -> Extracted:
    """Kept for callers that only want the text (``.text``) of a file."""
    return read_report(path)


def display_name(name: str) -> str:
    """A file name that can be printed, stored as JSON and indexed.

    Linux file names are bytes; one that is not UTF-8 arrives with surrogate escapes,
    which cannot be encoded.  Its undecodable bytes are shown as ``\\xff`` instead —
    the same name every run, so incremental builds still recognise the file.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def corpus_files(corpus: Path) -> list[Path]:
    """Report files below ``corpus`` in a stable order.

    Files with a report extension, and files with none (crawled attachments), are
    read; manifests, hidden files and other extensions (images, spreadsheets) are
    not reports.
    """
    return [corpus / rel for rel in corpus_names(corpus)]


def corpus_names(corpus: Path) -> list[str]:
    """``corpus_files`` as paths relative to ``corpus`` ("/"-separated), in the same
    order, without a ``Path`` or a stat per file: a province has 10⁴–10⁵ files."""
    found: list[str] = []
    folders = [""]
    while folders:
        rel = folders.pop()
        with os.scandir(os.path.join(corpus, rel)) as entries:
            for entry in entries:
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(f"{rel}{name}/")
                    continue
                if name.startswith(".") or name in MANIFESTS or not entry.is_file():
                    continue
                suffix = os.path.splitext(name)[1]
                if suffix.lower() in SUPPORTED_SUFFIXES or not suffix:
                    found.append(rel + name)
    return sorted(found, key=lambda rel: rel.split("/"))  # as ``Path`` sorts: part by part
