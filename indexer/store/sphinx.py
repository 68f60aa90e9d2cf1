"""The SphinxQL store: the same answers as the Whoosh store, from a sharded cluster.

Writes (``sphinx_writer``) go to the shards' RT indexes directly (every mirror of the
report's shard, the shard chosen by a stable hash of the report id); reads go through
the aggregator's distributed index.  An index directory still holds its generations (catalog, build-time
data); the cluster holds the paragraphs of every generation still kept, told apart by
two attributes: a paragraph is visible to generation G when ``since <= G < until``.
A build writes generation G's new paragraphs (``since = G``) and closes the replaced
ones (``until = G``), so until ``CURRENT`` moves, readers see exactly the previous
generation; a killed build leaves only rows no generation sees, cleared by the next.
``ns`` (one random number per index directory) keeps indexes sharing a cluster apart.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from ..model import Filters, Paragraph
from . import sphinxql as ql
from .base import RawResult, StoreUnavailable
from .cluster import DIST, Cluster

OPEN = 2**32 - 1  # ``until`` of a paragraph no generation has replaced yet
BATCH = 400
PAGE = 10000  # rows per reply when every hit is asked for (each page re-runs the match)
# jieba words weigh ten times the character tokens a bare word also matches on
RANKER = "expr('sum(tf_idf*user_weight)*10000')"
WEIGHTS = "field_weights=(words=10, pairs=1, chars=1, cpairs=1, cased=1, meta=1)"
COLUMNS = "id, report, file, unit, district, year, section, heading, paragraph, text, shape"
SORTS = {
    "unit": "unit ASC, year ASC, report ASC, paragraph ASC",
    "year": "year ASC, unit ASC, report ASC, paragraph ASC",
}
FILTER_KEYS = ("unit", "district", "year", "section")


def shape_of(paragraph: Paragraph) -> str:
    """What the parse knew of a paragraph besides its text (kind, level, 一是… items), kept
    so comparisons can count and show items from the engine's rows, no report file read."""
    items = [[i.label, i.start, i.end] for i in paragraph.items]
    return json.dumps([paragraph.kind, paragraph.level, items], ensure_ascii=False)


def report_key(report_id: str) -> int:
    return ql.key64(f"report\0{report_id}")


def value_key(field: str, value: str) -> int:
    return ql.key64(f"{field}\0{value}")


class SphinxStore:
    """Searches generation ``gen`` of namespace ``ns`` through the aggregator."""

    def __init__(self, url: str, ns: int, gen: int, report_ids: Iterable[str] = ()) -> None:
        """``report_ids``: the generation's reports, to name the integer keys the engine
        groups by (grouping by an integer is 2–3× faster than by the id string)."""
        self.cluster = Cluster(url)
        self.ns, self.gen = ns, gen
        self.by_key = {report_key(r): r for r in report_ids}
        self.reports = len(self.by_key)  # how many report groups a facet may hold

    def __enter__(self) -> SphinxStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.cluster.close()

    def release_pages(self) -> None:
        """Nothing mapped here: the engine holds the index."""

    def _where(self, match: str | None, filters: Filters) -> tuple[str, list]:
        clauses = ["ns = %s", "since <= %s", "until > %s"]
        args: list = [self.ns, self.gen, self.gen]
        if match is not None:
            clauses.insert(0, "MATCH(%s)")
            args.insert(0, match)
        for name in FILTER_KEYS:
            value = getattr(filters, name)
            if value not in (None, ""):
                clauses.append(f"{name}_key = %s")
                args.append(value_key(name, str(value)))
        return " AND ".join(clauses), args

    def search(
        self, text: str, filters: Filters, limit: int | None, offset: int, sort: str
    ) -> RawResult:
        q = ql.parse(text)
        terms = ql.highlight_terms(q)
        match = None if text.strip() == "" else ql.to_match(q)
        if text.strip() and match is None:
            return RawResult(total=0, rows=[], counts={}, terms=terms)
        where, args = self._where(match, filters)
        ranked = sort == "relevance" and ql.ranked(q)
        if sort in SORTS:
            order = SORTS[sort]
        elif ranked:
            order = "WEIGHT() DESC, report ASC, paragraph ASC"
        else:
            order = "report ASC, paragraph ASC"
        groups = self.reports + 64
        sql, statements = self._select(where, order, offset, limit or 1, groups, ranked)
        sets, missing = self.cluster.select(sql, args * statements)
        rows, counts = self._read_sets(sets)
        total = sum(counts["report"].values())
        if limit is None:  # every hit: fetched by id, a page at a time, ordered here
            rows, more = self._every_row(where, args, ranked, sort)
            rows, missing = rows[offset:], missing | more
        warnings = [
            f"shard-{k} did not answer (every replica down): its reports are missing "
            "from these results"
            for k in sorted(missing)
        ]
        return RawResult(
            total=total,
            rows=rows,
            counts=counts,
            terms=terms,
            partial=bool(missing),
            warnings=warnings,
        )

    def _every_row(self, where: str, args: list, ranked: bool, sort: str):
        """All matching rows.  Deep offsets would make every agent send all rows before
        the page each time (quadratic), so pages follow the document id instead, and the
        order — the same keys the engine sorts by (binary collation = str order) — is
        applied here."""
        score = "WEIGHT() AS w" if ranked else "0 AS w"
        ranker = RANKER if ranked else "none"
        rows: list[dict] = []
        missing: set[int] = set()
        last = 0
        while True:
            sql = (
                f"SELECT {COLUMNS}, {score} FROM {DIST} WHERE {where} AND id > %s "
                f"ORDER BY id ASC LIMIT {PAGE} OPTION ranker={ranker}, {WEIGHTS}, "
                f"max_matches={PAGE}, retry_count=2, retry_delay=50"
            )
            sets, more = self.cluster.select(sql, [*args, last])
            missing |= more
            page = sets[0] if sets else []
            for row in page:
                rows.append(self._row(row[:-1], float(row[-1]) / 10000))
            if len(page) < PAGE:
                break
            last = page[-1][0]
        keys = {
            "unit": lambda r: (r["unit"], r["year"], r["report"], r["paragraph"]),
            "year": lambda r: (r["year"], r["unit"], r["report"], r["paragraph"]),
        }
        if sort in keys:
            rows.sort(key=keys[sort])
        elif ranked:
            rows.sort(key=lambda r: (-r["score"], r["report"], r["paragraph"]))
        else:
            rows.sort(key=lambda r: (r["report"], r["paragraph"]))
        return rows, missing

    @staticmethod
    def _select(where, order, offset, limit, groups, ranked, facets=True) -> tuple[str, int]:
        """The page, then the hits per report and per section: three statements in one
        batch (and how many).  Separate GROUP BYs, not ``FACET``: on Sphinx 2.2 the FACET
        form took twice as long at 100k paragraphs (its page had to keep as many matches
        as there are reports; grouping by count sorted every group) — 150 → 75 ms p50."""
        ranker = RANKER if ranked else "none"
        page = (
            f"SELECT {COLUMNS} FROM {DIST} WHERE {where} "
            f"ORDER BY {order} LIMIT {offset}, {max(limit, 1)}"
            f" OPTION ranker={ranker}, {WEIGHTS},"
            f" max_matches={max(offset + limit, 1000)}, retry_count=2, retry_delay=50"
        )
        if not facets:
            return page, 1
        counts = [
            f"SELECT {column}, COUNT(*) FROM {DIST} WHERE {where} GROUP BY {column} "
            f"ORDER BY {column} ASC LIMIT {size} OPTION ranker=none, "
            f"max_matches={max(size, 1000)}, retry_count=2, retry_delay=50"
            for column, size in (("report_key", groups), ("section", 64))
        ]
        return "; ".join([page, *counts]), 3

    @staticmethod
    def _row(row: tuple, score: float) -> dict:
        _id, report, file, unit, district, year, section, heading, number, text, shape = row
        return {
            "report": report,
            "file": file,
            "unit": unit,
            "district": district,
            "year": year,
            "section": section,
            "heading": json.loads(heading) if heading else [],
            "paragraph": int(number),
            "text": text,
            "score": score,
            "shape": json.loads(shape) if shape else None,
        }

    def _read_sets(self, sets: list[list[tuple]]) -> tuple[list[dict], dict[str, Counter]]:
        # the engine orders a page by score; a GROUP BY cannot carry it as a column
        rows = [SphinxStore._row(row, 0.0) for row in (sets[0] if sets else [])]
        counts = {"report": Counter(), "section": Counter()}
        for key, count in sets[1] if len(sets) > 1 else []:
            report = self.by_key.get(int(key))
            if report is None:  # not in this generation's catalog: cannot be named
                raise StoreUnavailable(
                    f"{self.cluster.url}: the cluster holds a report this index does not "
                    "know; rebuild the index (fazhi index)"
                )
            counts["report"][report] = int(count)
        for section, count in sets[2] if len(sets) > 2 else []:
            counts["section"][section] = int(count)
        if len(sets) < 2:
            counts["report"] = Counter(r["report"] for r in rows)
        return rows, counts
