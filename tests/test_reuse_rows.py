"""Reuse stored per report and per passage (``store.reuse_rows``): an update rewrites
only the shards of what it redid, a reader reads only the reports it asks for, and an
index of before (one ``reuse.json``) is read as it is and converted at its next update."""

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from generated import generate_corpus

from indexer.build import build_index
from indexer.compare.reuse import normal, own_text
from indexer.query import open_index
from indexer.store import catalog, jsonio, reuse_rows

HOUR_AGO = time.time() - 3600


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = generate_corpus(tmp_path_factory.mktemp("rows-corpus"), body=4, reports=60)
    for f in folder.iterdir():  # older than the scan's "racily clean" window
        os.utime(f, (HOUR_AGO, HOUR_AGO))
    return folder


def _by_text(reuse: dict) -> dict:
    """Spans with their passage's normalised text instead of its number: what a user
    sees (numbering is the table's, and the whole table assembles it from keys)."""
    texts = [normal(p["text"]) for p in reuse["passages"]]
    return {
        rid: {n: [(s, e, texts[p], k) for s, e, p, k in rows] for n, rows in paras.items()}
        for rid, paras in reuse["spans"].items()
    }


def _inodes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in folder.glob("*.z")}


def test_an_edit_rewrites_only_the_shards_it_redid(corpus, tmp_path):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    index = tmp_path / "idx"
    build_index(work, index)
    before = catalog.current_generation(index)
    old_spans, old_passages = (_inodes(before / f) for f in (reuse_rows.SPANS, reuse_rows.PASSAGES))
    victim = sorted(work.glob("*.txt"))[5]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n此外，新增一项。\n", "utf-8")
    build_index(work, index)
    after = catalog.current_generation(index)
    assert after != before and not (after / "reuse.json").exists()
    new_spans, new_passages = (_inodes(after / f) for f in (reuse_rows.SPANS, reuse_rows.PASSAGES))
    assert new_spans.keys() == old_spans.keys() and len(new_spans) == reuse_rows.SPAN_SHARDS
    rewritten = [n for n in new_spans if new_spans[n] != old_spans[n]]
    assert 1 <= len(rewritten) < len(new_spans) // 4  # the edited report and its neighbours
    assert sum(new_passages[n] != old_passages[n] for n in new_passages) < len(new_passages) // 2
    fresh = tmp_path / "fresh"
    build_index(work, fresh)
    with open_index(index) as got, open_index(fresh) as want:
        assert _by_text(got.reuse()) == _by_text(want.reuse())


def test_a_reader_reads_only_the_reports_asked_for(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    with open_index(index) as idx:
        whole = idx.reuse()
        rid = max(whole["spans"], key=lambda r: len(whole["spans"][r]))
        view = idx.reuse_of()
        assert view["spans"][rid] is not None
        assert len(view["spans"]._shards) == 1  # one shard parsed, not the table
        one = idx.reuse_of([rid])
        assert list(one["spans"]) == [rid]
        named = {row[2] for rows in one["spans"][rid].values() for row in rows}
        assert set(one["passages"]) == named  # the passages its spans name, by key
        texts = {normal(whole["passages"][n]["text"]) for _, _, n, _ in _rows(whole, rid)}
        assert {normal(p["text"]) for p in one["passages"].values()} == texts
        assert _by_text(whole)[rid] == {
            n: [(s, e, normal(one["passages"][k]["text"]), kind) for s, e, k, kind in rows]
            for n, rows in one["spans"][rid].items()
        }
        report = idx.report(rid)
        assert own_text(report, one) == own_text(report, whole)  # the CLI's own text


def _rows(reuse: dict, rid: str) -> list:
    return [row for rows in reuse["spans"][rid].values() for row in rows]


def test_an_index_of_before_is_read_and_converted_at_its_next_update(corpus, tmp_path):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    index = tmp_path / "idx"
    build_index(work, index)
    gen = catalog.current_generation(index)
    with open_index(index) as idx:
        want = idx.reuse()
    for folder in (reuse_rows.SPANS, reuse_rows.PASSAGES, reuse_rows.USERS):
        shutil.rmtree(gen / folder)  # the one-file layout of before
    catalog.write_json(gen / "reuse.json", want, compress=True)
    with open_index(index) as idx:
        assert idx.reuse() == want
        rid = next(iter(want["spans"]))
        assert idx.reuse_of([rid])["spans"] == {rid: want["spans"][rid]}
        assert idx.reuse_of()["spans"][rid] == want["spans"][rid]
    victim = sorted(work.glob("*.txt"))[7]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n此外，新增一项。\n", "utf-8")
    build_index(work, index)
    after = catalog.current_generation(index)
    assert reuse_rows.has_tables(after) and not (after / "reuse.json").exists()
    fresh = tmp_path / "fresh"
    build_index(work, fresh)
    with open_index(index) as got, open_index(fresh) as wanted:
        assert _by_text(got.reuse()) == _by_text(wanted.reuse())


def test_users_insert_few_rows_as_a_sort_of_all_would(tmp_path):
    rng = np.random.default_rng(7)
    keys = [f"{k:016x}" for k in rng.integers(0, 2**63, 400, dtype=np.int64)]
    users = reuse_rows.Users()
    for n in range(40):
        users.add(f"r{n}", keys[n * 10 : n * 10 + 30])
    users.save(tmp_path)
    again = reuse_rows.Users.load(tmp_path)
    again.drop(["r3", "r4"])
    again.add("r3", keys[:5])  # few rows into many: inserted
    again.add("new", keys[100:103])
    got = again.of(keys)
    want: dict[str, list[str]] = {}
    for n in range(40):
        if f"r{n}" in ("r3", "r4"):
            continue
        for k in keys[n * 10 : n * 10 + 30]:
            want.setdefault(k, []).append(f"r{n}")
    for k in keys[:5]:
        want.setdefault(k, []).append("r3")
    for k in keys[100:103]:
        want.setdefault(k, []).append("new")
    assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in want.items()}
    assert np.all(np.diff(again.h.astype(np.float64)) >= 0)
    again.save(tmp_path)
    assert jsonio.loads((tmp_path / reuse_rows.USERS / "ids.json").read_bytes())["ids"]


def test_passages_of_many_users_are_listed_with_arrays_as_with_sets(corpus, monkeypatch):
    from indexer.compare import reuse_index, reuse_listing
    from indexer.ingest.read import corpus_files, read_report_text
    from indexer.ingest.reports import parse_report

    reports = []
    for path in corpus_files(corpus):
        report = parse_report(read_report_text(path).text, path.name)
        report.meta.id = path.stem
        reports.append(report)
    with_sets = reuse_index.update_reuse(reports, set())[0]
    monkeypatch.setattr(reuse_listing, "MANY_USERS", 0)  # every passage through the arrays
    with_arrays = reuse_index.update_reuse(reports, set())[0]
    assert with_arrays.passages == with_sets.passages
    assert any(p["report_count"] > 2 for p in with_sets.passages.values())
    assert {p["kind"] for p in with_sets.passages.values()} >= {"boilerplate", "copied"}


def test_neighbours_read_a_few_holders_first_and_find_the_same(corpus, monkeypatch):
    from indexer.compare import reuse_index
    from indexer.compare.units import group_of
    from indexer.ingest.read import corpus_files, read_report_text
    from indexer.ingest.reports import parse_report

    reports = []
    for path in corpus_files(corpus):
        report = parse_report(read_report_text(path).text, path.name)
        report.meta.id = path.stem
        reports.append(report)
    table = reuse_index.update_reuse(reports, set())[1]
    unit = group_of(r.meta for r in reports)
    ids = table.ids

    def unit_of(code: int) -> str:
        return unit.get(ids[code], ids[code])

    changed = {0, 5}
    touched = np.unique(np.concatenate([table.keys[:: max(1, len(table.keys) // 4000)]]))
    found = {}
    for peek in (1, 2, 10**9):
        monkeypatch.setattr(reuse_index, "PEEK", peek)
        found[peek] = reuse_index._neighbours(table, touched, changed, unit_of)
    assert found[10**9] and found[1] == found[2] == found[10**9]
