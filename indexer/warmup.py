"""What a server loads when it starts, so that its first requests only search.

A fresh process pays, on its first search, for reading what every later search reuses:
the store's columns (report and section codes, the folded text, the text lengths bare
words are ranked with), the report table, the word segmenter's dictionary and the
query parser; the first list page pays for the report metadata, the first comparison
for the shared passages and the task counts made at build time.  ``warm`` makes those
loads through the public API — the report list, then one quoted phrase and one bare
word, the two paths a query takes — on a term that every large enough segment holds but
few of its paragraphs do: every segment is opened, yet little of the mapped text is
touched (a term in every paragraph would page in all of it, and inflate the server's
resident memory for nothing).  ``webui.db.warm_up`` runs it when a server starts.
"""

from __future__ import annotations

from typing import Any

WARM_TERM = "行政复议"  # ~4 % of paragraphs, in most reports: in every segment


def warm(idx: Any) -> None:
    """Load into ``idx``'s generation data what first requests would wait for."""
    idx.reports()
    idx.search(f'"{WARM_TERM}"', limit=1)
    idx.search(WARM_TERM, limit=1)
    idx.reuse_of()  # the reuse tables' heads; each report's spans are read when shown
    idx.task_rows()  # the build's task × report counts (the heat map, task views)
