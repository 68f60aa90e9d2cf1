"""Real files of each published format, made from the seed reports inside the tests.

Every format test compares against the .txt of the same report: the paragraphs
(kind, text, section, heading path) and the metadata must come out identical.
"""

from __future__ import annotations

from pathlib import Path

from indexer.ingest.reports import parse_report

CORPUS = Path(__file__).parent.parent / "corpus"
SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))


def seed_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def seed_lines(name: str) -> list[str]:
    return [line.strip() for line in seed_text(name).splitlines() if line.strip()]


def indexed(text: str, hints: dict[str, str] | None = None, file: str = "x") -> tuple:
    """What the index keeps of a report: metadata and every paragraph's structure."""
    report = parse_report(text, file, hints=hints)
    m = report.meta
    meta = (m.unit, m.district, m.year, m.date, m.title)
    return meta, [(p.kind, p.text, p.section, tuple(p.heading)) for p in report.paragraphs]


def write_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    """A .docx as Word writes it: running header, page-number footer, optional table."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "区政府办公室文件"
    footer = section.footer.paragraphs[0]
    footer.text = "- "
    footer._p.append(
        parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )
    footer.add_run(" -")
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table and i == len(lines) // 2:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    document.save(path)
    return path
