"""Writes to the SphinxQL cluster: a generation's paragraphs to every mirror of their shard.

A build (``store.backend``) opens one ``SphinxWriter`` per generation: it first undoes
what a killed build of that generation left, closes the replaced reports' rows
(``until = G``) and inserts the new ones (``since = G``) in batches that go to a shard's
mirrors at once (``cluster.NodeQueues``); ``drop_unreachable`` clears, after
publishing, rows no kept generation sees.  Visibility and keys: see ``store.sphinx``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from ..fold import fold
from ..model import Report
from . import sphinxql as ql
from .base import UNKNOWN
from .cluster import RT, Cluster, NodeQueues
from .sphinx import BATCH, OPEN, report_key, shape_of, value_key


class SphinxWriter:
    """Writes generation ``gen`` of namespace ``ns`` to every replica of each shard."""

    def __init__(self, url: str, ns: int, gen: int, clean: bool = True) -> None:
        """``clean``: first undo what a killed build of this generation left (a writer
        for a build); ``False`` for the clean-up after publishing."""
        self.cluster = Cluster(url)
        self.ns, self.gen = ns, gen
        self.nodes = self.cluster.nodes()
        self.shards = self.cluster.shard_count()
        self._conns = {}
        self._queues = NodeQueues(self._run, self.nodes)
        try:
            for node in self.nodes:
                self._conns[node] = self.cluster.node_connection(node)
            if clean:
                self.discard_unpublished()
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> SphinxWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._queues.close()  # first: its threads use the connections
        for conn in self._conns.values():
            conn.close()
        self._conns = {}
        self.cluster.close()

    def _run(self, node, sql: str, args=None) -> list[tuple]:
        with self._conns[node].cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())

    def _delete_where(self, node, where: str, args: list) -> int:
        """Delete the rows ``where`` selects, a batch of ids at a time (Sphinx 2.2's
        DELETE takes ids only)."""
        deleted = 0
        while True:
            ids = [
                r[0]
                for r in self._run(
                    node,
                    f"SELECT id FROM {RT} WHERE {where} LIMIT 5000 OPTION max_matches=5000",
                    args,
                )
            ]
            if not ids:
                return deleted
            self._run(node, f"DELETE FROM {RT} WHERE id IN ({','.join(map(str, ids))})")
            deleted += len(ids)

    def discard_unpublished(self) -> None:
        """Undo what a killed build of this (or a later) generation number left behind."""
        for node in self.nodes:
            self._delete_where(node, "ns = %s AND since >= %s", [self.ns, self.gen])
            self._run(
                node,
                f"UPDATE {RT} SET until = {OPEN} WHERE ns = %s AND until >= %s AND until < {OPEN}",
                [self.ns, self.gen],
            )

    def drop_unreachable(self, namespace: int | None = None) -> None:
        """After publishing: delete rows neither this generation nor the one before sees
        (or, given ``namespace``, every row of a retired namespace)."""
        for node in self.nodes:
            if namespace is not None:
                self._delete_where(node, "ns = %s", [namespace])
            else:
                self._delete_where(node, "ns = %s AND until < %s", [self.ns, self.gen])

    def shard_nodes(self, report_id: str) -> list:
        shard = ql.key64(report_id) % self.shards
        return [n for n in self.nodes if n.shard == shard]

    def replace_reports(
        self,
        reports: Iterable[Report],
        delete_ids: Iterable[str],
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        for report_id in delete_ids:
            for node in self.shard_nodes(report_id):
                self._run(
                    node,
                    f"UPDATE {RT} SET until = %s WHERE ns = %s AND report_key = %s "
                    f"AND until = {OPEN}",
                    [self.gen, self.ns, report_key(report_id)],
                )
        pending: dict[int, list[tuple]] = {}
        for report in reports:
            if on_report is not None:
                on_report(report)
            shard = ql.key64(report.meta.id) % self.shards
            rows = pending.setdefault(shard, [])
            rows.extend(self.rows(report))
            if len(rows) >= BATCH:
                self._insert(shard, rows)
                rows.clear()
        for shard, rows in pending.items():
            if rows:
                self._insert(shard, rows)
        self._queues.wait()

    def _insert(self, shard: int, rows: list[tuple]) -> None:
        marks = "(" + ",".join(["%s"] * len(rows[0])) + ")"
        sql = (
            f"INSERT INTO {RT} (id, pairs, chars, cpairs, cased, words, meta, ns, since, until, report_key, "
            "unit_key, district_key, year_key, section_key, paragraph, report, file, unit, "
            "district, year, section, heading, text, shape) VALUES " + ",".join([marks] * len(rows))
        )
        args = [value for row in rows for value in row]
        for node in self.nodes:
            if node.shard == shard:
                self._queues.send(node, sql, args)

    def rows(self, report: Report) -> list[tuple]:
        m = report.meta
        values = {
            "unit": m.unit or UNKNOWN,
            "district": m.district or UNKNOWN,
            "year": str(m.year) if m.year is not None else UNKNOWN,
            "report": m.id,
        }
        out = []
        for p in report.paragraphs:
            folded = fold(p.text)
            meta = ql.meta_field({**values, "section": p.section}, folded)
            out.append(
                (
                    ql.key64(f"{self.ns}\0{m.id}\0{p.number}\0{self.gen}"),
                    ql.pairs_field(folded),
                    ql.chars_field(folded),
                    ql.cased_pairs_field(folded),
                    ql.cased_field(folded),
                    ql.words_field(p.text),
                    meta,
                    self.ns,
                    self.gen,
                    OPEN,
                    report_key(m.id),
                    value_key("unit", values["unit"]),
                    value_key("district", values["district"]),
                    value_key("year", values["year"]),
                    value_key("section", p.section),
                    p.number,
                    m.id,
                    m.file,
                    values["unit"],
                    values["district"],
                    values["year"],
                    p.section,
                    json.dumps(p.heading, ensure_ascii=False),
                    p.text,
                    shape_of(p),
                )
            )
        return out
