"""Faults on a real 2×2 searchd cluster: killed replicas, a whole shard down, recovery.

With one replica of a shard killed (``kill -9``) answers stay complete and identical; with
every replica of a shard down, search answers from the rest and says so (``partial``,
a warning naming the shard, a banner in the web UI); a node that comes back is used
again; with the aggregator down the CLI and the web UI explain instead of crashing.
"""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from indexer.build import build_index
from indexer.cli import main
from indexer.model import Filters
from indexer.query import open_index

QUERIES = ['"公职律师"', "法律顾问", "法治 NOT 疫情", "section:plans", ""]


@pytest.fixture(scope="module")
def index_dir(cluster, tmp_path_factory):
    path = tmp_path_factory.mktemp("fault-index")
    build_index(CORPUS, path, backend=cluster.url)
    return path


def answers(index_dir) -> dict:
    out = {}
    with open_index(index_dir) as idx:
        for q in QUERIES:
            r = idx.search(q, Filters(), limit=0, sort="unit")
            hits = [(h.report, h.paragraph, h.text) for h in r.hits]
            out[q] = (r.total, hits, r.facets, r.missing, r.partial, r.warnings)
    return out


def shard_reports(index_dir) -> dict[int, set[str]]:
    """Which reports each shard holds (by the store's own placement rule)."""
    from indexer.store.sphinxql import key64

    with open_index(index_dir) as idx:
        ids = [m.id for m in idx.reports()]
    placed: dict[int, set[str]] = {0: set(), 1: set()}
    for report_id in ids:
        placed[key64(report_id) % 2].add(report_id)
    return placed


def wait_until(check, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_status_lists_every_node(cluster):
    nodes = cluster.status()
    roles = sorted(n["role"] for n in nodes)
    assert roles == ["aggregator", "shard-0", "shard-0", "shard-1", "shard-1"]
    assert all(n["pid"].isdigit() and n["port"].isdigit() for n in nodes)
    assert cluster.url.endswith(":" + next(n["port"] for n in nodes if n["role"] == "aggregator"))


def test_faults_and_recovery(cluster, index_dir):
    before = answers(index_dir)
    assert before["法律顾问"][0] > 0 and not any(a[4] for a in before.values())
    placed = shard_reports(index_dir)
    assert placed[0] and placed[1], "the seeds must spread over both shards"

    try:
        one_shard_down(cluster, index_dir, before, placed)
    finally:
        for node in cluster.status():
            if node["pid"] == "-":
                cluster.restart(node["name"])


def one_shard_down(cluster, index_dir, before, placed):
    # one replica of shard 0 killed: complete, identical answers, every time
    cluster.kill("shard0-m0")
    for _ in range(5):
        assert answers(index_dir) == before

    # every replica of shard 0 down: the rest answers, partial, shard named
    cluster.kill("shard0-m1")
    with open_index(index_dir) as idx:
        r = idx.search("", Filters(), limit=0)
        assert r.partial is True
        assert any("shard-0" in w for w in r.warnings)
        assert {h.report for h in r.hits} == placed[1]
        assert set(r.missing) == placed[0]  # said, not hidden: the banner explains it
    out = CliRunner().invoke(main, ["search", "法律顾问", "--json", "--index", str(index_dir)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["partial"] is True and any("shard-0" in w for w in data["warnings"])

    # the web UI says so on the page
    from webui import create_app

    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(CORPUS)})
    page = app.test_client().get("/?q=法律顾问")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "结果不完整" in html and "shard-0" in html

    # the nodes come back: used again, answers complete and identical
    cluster.restart("shard0-m0")
    cluster.restart("shard0-m1")
    assert wait_until(lambda: answers(index_dir) == before)
    # and now the other replica can die without loss
    cluster.kill("shard0-m0")
    for _ in range(3):
        assert answers(index_dir) == before


def test_aggregator_down_is_explained(cluster, index_dir):
    cluster.kill("aggregator")
    try:
        out = CliRunner().invoke(main, ["search", "法律顾问", "--index", str(index_dir)])
        assert out.exit_code == 1
        assert "Error:" in out.output and "searchd" in out.output
        from webui import create_app

        app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir), "CORPUS_DIR": str(CORPUS)})
        page = app.test_client().get("/?q=法律顾问")
        assert page.status_code == 503
        assert "searchd" in page.get_data(as_text=True)
    finally:
        cluster.restart("aggregator")
    with open_index(index_dir) as idx:
        assert idx.search("法律顾问").total > 0


def test_build_needs_every_replica(cluster, index_dir, tmp_path):
    """A write cannot reach a dead replica, so the build stops, naming it, and the
    index keeps answering from its previous generation."""
    cluster.kill("shard1-m1")
    try:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        for p in CORPUS.iterdir():
            if p.is_file():
                (corpus / p.name).write_bytes(p.read_bytes())
        out = CliRunner().invoke(
            main, ["index", str(corpus), "--index", str(tmp_path / "ix"), "--backend", cluster.url]
        )
        assert out.exit_code == 1
        assert "shard-1" in out.output
    finally:
        cluster.restart("shard1-m1")
