"""A SphinxQL cluster as the client sees it: one aggregator to read, shard nodes to write.

``sphinx://HOST:PORT`` names the aggregator's SphinxQL listener.  Its distributed index
(``dist``) lists one ``agent`` line per shard, mirrors separated by ``|``; ``DESCRIBE
dist`` tells the client the layout (``remote_K_mirror_M``), and each node's SphinxQL
port is its agent (API) port minus one — the convention ``scripts/cluster.sh`` follows;
``?ql_offset=N`` in the URL sets another (``-6`` for the stock 9312/9306 pair).
Reads retry over mirrors; a shard with no replica answering makes the result partial,
with a warning naming it, instead of an error.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import pymysql

from ..errors import QueryError
from .base import StoreUnavailable

DIST = "dist"
RT = "rt"
CONNECT_TIMEOUT = 3
READ_TIMEOUT = 15  # seconds; the aggregator gives up on an agent after 5
RETRIES = 4  # client-side re-asks when the aggregator reports an agent failure
AGENT = re.compile(r"agent ([\w.\-]+:\d+)")


@dataclass(frozen=True)
class Node:
    shard: int
    mirror: int
    host: str
    api_port: int
    sql_port: int

    @property
    def name(self) -> str:
        return f"shard-{self.shard} mirror {self.mirror} ({self.host}:{self.sql_port})"


def parse_url(url: str) -> tuple[str, int, int]:
    """(host, port, ql_offset) of ``sphinx://HOST:PORT[?ql_offset=N]``."""
    parts = urlparse(url)
    if parts.scheme != "sphinx" or not parts.hostname or not parts.port:
        raise StoreUnavailable(f"backend {url!r} is not of the form sphinx://HOST:PORT")
    offset = int(parse_qs(parts.query).get("ql_offset", ["-1"])[0])
    return parts.hostname, parts.port, offset


def connect(host: str, port: int, read_timeout: float = READ_TIMEOUT):
    try:
        return pymysql.connect(
            host=host,
            port=port,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT,
            read_timeout=read_timeout,
            write_timeout=read_timeout,
        )
    except pymysql.err.OperationalError as exc:
        raise StoreUnavailable(f"cannot reach searchd at {host}:{port}: {exc.args[-1]}") from exc


class Cluster:
    """Connections to one cluster: the aggregator (lazily) and the shard nodes (on demand)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.host, self.port, self.ql_offset = parse_url(url)
        self._agg = None
        self._nodes: list[Node] | None = None

    def close(self) -> None:
        if self._agg is not None:
            self._agg.close()
            self._agg = None

    def aggregator(self):
        if self._agg is None:
            self._agg = connect(self.host, self.port)
        return self._agg

    def nodes(self) -> list[Node]:
        """Every shard replica, from the aggregator's ``DESCRIBE dist``."""
        if self._nodes is None:
            rows = self._ask(f"DESCRIBE {DIST}")
            nodes = []
            for agent, kind in rows:
                m = re.fullmatch(r"remote_(\d+)(?:_mirror_(\d+))?", str(kind))
                if not m:
                    continue
                host, api, _index = str(agent).rsplit(":", 2)
                api_port = int(api)
                nodes.append(
                    Node(
                        int(m[1]) - 1, int(m[2] or 1) - 1, host, api_port, api_port + self.ql_offset
                    )
                )
            if not nodes:
                raise StoreUnavailable(f"{self.url}: index {DIST!r} lists no agents")
            self._nodes = nodes
        return self._nodes

    def shard_count(self) -> int:
        return max(n.shard for n in self.nodes()) + 1

    def shard_of_agent(self, address: str) -> int | None:
        host, port = address.rsplit(":", 1)
        for n in self.nodes():
            if n.api_port == int(port) and n.host in (host, "localhost", "127.0.0.1"):
                return n.shard
        return None

    def _ask(self, sql: str, args=None) -> list[tuple]:
        try:
            with self.aggregator().cursor() as cur:
                cur.execute(sql, args)
                return list(cur.fetchall())
        except pymysql.err.OperationalError as exc:
            self.close()
            raise StoreUnavailable(f"searchd at {self.host}:{self.port}: {exc.args[-1]}") from exc

    def select(self, sql: str, args=None) -> tuple[list[list[tuple]], set[int]]:
        """Run SELECTs (a batch) on the aggregator: every result set, and the shards
        that did not answer.  Agent failures are re-asked, so one dead mirror is never
        seen; a shard that stays silent is returned, not raised."""
        missing: set[int] = set()
        for attempt in range(RETRIES + 1):
            try:
                with self.aggregator().cursor() as cur:
                    cur.execute(sql, args)
                    sets = [list(cur.fetchall())]
                    while cur.nextset():
                        sets.append(list(cur.fetchall()))
                    cur.execute("SHOW WARNINGS")
                    warnings = [str(row[-1]) for row in cur.fetchall()]
            except pymysql.err.OperationalError as exc:
                self.close()
                raise StoreUnavailable(
                    f"searchd at {self.host}:{self.port}: {exc.args[-1]}"
                ) from exc
            except pymysql.err.ProgrammingError as exc:
                if not self._failed_shards(str(exc)):
                    raise QueryError(f"检索集群拒绝了这个查询：{exc.args[-1]}") from exc
                warnings, sets = [str(exc)], []
            except pymysql.err.MySQLError as exc:
                self.close()
                raise StoreUnavailable(f"searchd at {self.host}:{self.port}: {exc}") from exc
            missing = set()
            for text in warnings:
                missing |= self._failed_shards(text)
            if not missing and sets:
                return sets, missing
            if attempt < RETRIES:
                time.sleep(0.05 * 2**attempt)  # lets the aggregator mark the dead mirror
        if not sets:  # every shard failed: nothing to answer from
            raise StoreUnavailable(f"{self.url}: no shard answered")
        return sets, missing

    def _failed_shards(self, text: str) -> set[int]:
        shards = set()
        for address in AGENT.findall(text):
            shard = self.shard_of_agent(address)
            if shard is not None:
                shards.add(shard)
        return shards

    def node_connection(self, node: Node):
        try:
            return connect(node.host, node.sql_port, read_timeout=300)
        except StoreUnavailable as exc:
            raise StoreUnavailable(
                f"cannot write to {node.name}: {exc}. Every replica must be up to build."
            ) from exc


class NodeQueues:
    """One writer thread per node, one batch in flight on each.

    A build used to send a batch to one mirror, wait while it indexed, then the next
    mirror, then prepare the next batch: Python time plus every node's indexing time, one
    after the other (10k paragraphs: 11.6 s of client CPU and 5.4 s of searchd CPU made a
    17 s build).  Here the mirrors of a shard index a batch at once while the next one is
    prepared.  ``run(node, sql, args)`` uses the node's own connection, and a node has a
    single thread, so no connection is ever used by two threads; errors come back to the
    caller at the node's next ``send`` or at ``wait``.
    """

    def __init__(self, run, nodes: list[Node]) -> None:
        self._run = run
        self._pools = {
            node: ThreadPoolExecutor(1, thread_name_prefix=f"fazhi-{node.name}") for node in nodes
        }
        self._pending: dict[Node, Future] = {}

    def send(self, node: Node, sql: str, args: list) -> None:
        previous = self._pending.pop(node, None)
        if previous is not None:
            previous.result()
        self._pending[node] = self._pools[node].submit(self._run, node, sql, args)

    def wait(self) -> None:
        """Until every batch sent is written; the first failure is raised."""
        pending, self._pending = list(self._pending.values()), {}
        wait_all(pending)
        for future in pending:
            future.result()

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools = {}
