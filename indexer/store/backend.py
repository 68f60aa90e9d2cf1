"""Which engine an index generation searches, recorded in the generation itself.

``backend.json`` in a generation says ``{"kind": "whoosh"}`` (the default, also when the
file is absent: indexes built before backends existed) or ``{"kind": "sphinx", "url":
"sphinx://HOST:PORT", "ns": N, "shards": K}``.  It is written with the generation and
published with it, so switching engines is as atomic as any other build.  ``fazhi index
--backend URL`` chooses; later builds, ``search``, ``compare`` and ``serve`` read it.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog
from .base import Store, StoreUnavailable, StoreWriter

BACKEND_FILE = "backend.json"
WHOOSH = "whoosh"


def gen_number(gen: Path) -> int:
    return int(gen.name.rsplit("-", 1)[-1])


def read_backend(gen: Path | None) -> dict:
    if gen is None:
        return {"kind": WHOOSH}
    return catalog.read_json(gen / BACKEND_FILE, {"kind": WHOOSH})


@dataclass
class BuildBackend:
    """The engine a build writes to.  ``fresh``: the previous generation's store cannot be
    carried over (new engine, new cluster, new shard layout), so every report is written."""

    config: dict
    fresh: bool
    retired: list[int] = field(default_factory=list)  # cluster namespaces to drop after

    def writer(self, gen: Path) -> StoreWriter:
        if self.config["kind"] == WHOOSH:
            from .whoosh import WhooshStore

            if self.fresh and (gen / "store").exists():
                shutil.rmtree(gen / "store")
            return WhooshStore(gen / "store", create=self.fresh)
        from .sphinx_writer import SphinxWriter

        shutil.rmtree(gen / "store", ignore_errors=True)  # a Whoosh store copied from before
        return SphinxWriter(self.config["url"], self.config["ns"], gen_number(gen))

    def record(self, gen: Path) -> None:
        catalog.write_json(gen / BACKEND_FILE, self.config)

    def published(self, gen: Path) -> None:
        """Once ``gen`` is live: clear cluster rows no kept generation can see."""
        if self.config["kind"] == WHOOSH:
            return
        from .sphinx_writer import SphinxWriter

        url, ns = self.config["url"], self.config["ns"]
        with SphinxWriter(url, ns, gen_number(gen), clean=False) as writer:
            writer.drop_unreachable()
            for ns in self.retired:
                writer.drop_unreachable(namespace=ns)


def choose(previous: Path | None, url: str | None) -> BuildBackend:
    """The backend of the next generation: ``url`` if given (``whoosh`` or
    ``sphinx://HOST:PORT``), else the previous generation's."""
    before = read_backend(previous)
    if url is None or url == before.get("url", before["kind"]):
        config = before
    elif url == WHOOSH:
        config = {"kind": WHOOSH}
    elif url.startswith("sphinx://"):
        config = {"kind": "sphinx", "url": url}
    else:
        raise StoreUnavailable(f"unknown backend {url!r}: use whoosh or sphinx://HOST:PORT")
    fresh = previous is None or config.get("url") != before.get("url")
    retired = []
    if config["kind"] == "sphinx":
        from .cluster import Cluster

        cluster = Cluster(config["url"])
        try:
            shards = cluster.shard_count()
        finally:
            cluster.close()
        if fresh or config.get("shards") != shards or "ns" not in config:
            if before.get("url") == config["url"] and "ns" in before:
                retired.append(before["ns"])
            config = {**config, "ns": secrets.randbits(62) + 1, "shards": shards}
            fresh = True
    elif before["kind"] != WHOOSH:
        fresh = True
    return BuildBackend(config=config, fresh=fresh, retired=retired)


def open_store(gen: Path, data) -> Store:
    """The store a search of generation ``gen`` reads (``data``: its shared GenerationData)."""
    config = read_backend(gen)
    if config["kind"] == WHOOSH:
        from .whoosh import WhooshStore

        return WhooshStore(gen / "store", columns=data.columns, folded=data.folded)
    from .sphinx import SphinxStore

    return SphinxStore(config["url"], config["ns"], gen_number(gen), report_ids=data.metas())


def describe(gen: Path) -> str:
    config = read_backend(gen)
    return config.get("url", config["kind"])
