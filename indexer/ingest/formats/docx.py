"""Word .docx (Office Open XML) reports through python-docx.

The body is read in document order — paragraphs and tables interleaved, as the
reader sees them — and nothing else: headers and footers (running titles, page
numbers) live in their own parts and are never read.  A table row becomes one
paragraph with its cells joined by a tab (merged cells once), because a row of a
statistics table is the unit a reader quotes.  A manual line break inside a Word
paragraph (Shift+Enter) ends a line, as it does on the page.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from . import Extracted, UnreadableFile, require_report_text
from .radicals import normalise_radicals

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def extract(data: bytes) -> Extracted:
    import docx  # python-docx; imported only when a .docx turns up
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"not a readable .docx: {exc}") from exc
    lines: list[str] = []

    def walk(container, parent) -> None:
        for child in container.iterchildren():
            if child.tag == W + "p":
                lines.extend(Paragraph(child, parent).text.split("\n"))
            elif child.tag == W + "tbl":
                for row in Table(child, parent).rows:
                    lines.append(_row_text(row))
            elif child.tag == W + "sdt":  # content controls wrap ordinary body content
                content = child.find(W + "sdtContent")
                if content is not None:
                    walk(content, parent)

    walk(document.element.body, document._body)
    text = normalise_radicals("\n".join(line.strip() for line in lines if line.strip()))
    return Extracted(require_report_text(text, "the .docx"), "docx")


def _row_text(row) -> str:
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
    return "\t".join(cells).strip()
