"""Work an update does not do: reading unchanged files, rewriting every report file."""

import os
import shutil
import time
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.errors import CorruptIndex
from indexer.query import open_index
from indexer.store import catalog, packs

CORPUS = Path(__file__).parent.parent / "corpus"
HOUR_AGO = time.time() - 3600


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    for f in folder.iterdir():  # older than the scan's two-second "racily clean" window
        os.utime(f, (HOUR_AGO, HOUR_AGO))
    return folder


def _same_size_edit(path: Path, old: str, new: str, keep_mtime: bool) -> None:
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if keep_mtime:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _texts(index: Path) -> dict[str, str]:
    with open_index(index) as idx:
        return {
            m.file: "\n".join(p.text for p in idx.report(m.id).paragraphs) for m in idx.reports()
        }


def test_a_file_with_the_recorded_size_and_mtime_is_not_read(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    path = corpus / "万兴街-2022.txt"
    # same size, same mtime: the stat check trusts it, as make and git do
    _same_size_edit(path, "2022", "2O22", keep_mtime=True)
    summary = build_index(corpus, index)
    assert summary.unchanged == 5 and not summary.updated
    assert "2O22" not in _texts(index)["万兴街-2022.txt"]
    # a new mtime makes the build read and hash the file, and the edit is found
    os.utime(path, (HOUR_AGO + 60, HOUR_AGO + 60))
    summary = build_index(corpus, index)
    assert summary.updated == ["南开区-万兴街-2022"] and summary.unchanged == 4
    assert "2O22" in _texts(index)["万兴街-2022.txt"]


def test_a_file_changed_within_the_clock_tick_is_hashed_next_time(corpus, tmp_path):
    index = tmp_path / "idx"
    path = corpus / "区协同办-2022.txt"
    os.utime(path)  # just now: no stat key is recorded for it
    build_index(corpus, index)
    files = catalog.load_catalog(catalog.current_generation(index))["files"]
    assert files["区协同办-2022.txt"]["stat"] == "" and files["万兴街-2022.txt"]["stat"]
    _same_size_edit(path, "2022", "2O22", keep_mtime=True)
    summary = build_index(corpus, index)
    assert summary.updated == ["西青区-区协同办-2022"]


def test_a_changed_manifest_entry_rereads_an_unchanged_file(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    (corpus / "reports.toml").write_text('["万兴街-2022.txt"]\nyear = 2021\n', encoding="utf-8")
    summary = build_index(corpus, index)
    assert summary.updated == ["南开区-万兴街-2022"]
    with open_index(index) as idx:
        assert idx.report("南开区-万兴街-2022").meta.year == 2021


def _packs(gen: Path) -> dict[str, int]:
    """Pack name → inode, for the generation's reports folder."""
    return {p.name: p.stat().st_ino for p in (gen / "reports").glob("pack-*.z")}


def test_an_edit_writes_one_small_pack_and_links_the_rest(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    first = catalog.current_generation(index)
    before = _texts(index)
    path = corpus / "万兴街-2022.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增段落。\n", encoding="utf-8")
    build_index(corpus, index)
    second = catalog.current_generation(index)
    old, new = _packs(first), _packs(second)
    assert old.items() <= new.items()  # the first pack is the same file, linked
    (added,) = set(new) - set(old)
    index_file = packs.PackIndex.read(second / "reports")
    assert {rid for rid, loc in index_file.where.items() if loc[0] == added} == {
        "南开区-万兴街-2022"
    }
    assert len(list((second / "reports").iterdir())) == 4  # two packs, index.json, .bin
    after = _texts(index)
    assert after.pop("万兴街-2022.txt").endswith("新增段落。")
    before.pop("万兴街-2022.txt")
    assert after == before


def test_packs_are_folded_and_reports_stay_readable(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    path = corpus / "区协同办-2022.txt"
    original = path.read_text(encoding="utf-8")
    for n in range(packs.MAX_PACKS + 3):
        path.write_text(original + f"\n第{n}次补充。\n", encoding="utf-8")
        build_index(corpus, index)
        gen = catalog.current_generation(index)
        held = _packs(gen)
        assert len(held) <= packs.MAX_PACKS
        index_file = packs.PackIndex.read(gen / "reports")
        assert set(index_file.packs) == set(held)
        live = sum(length for _, _, length in index_file.where.values())
        assert sum(index_file.packs.values()) <= 2 * live  # dead bytes never dominate
    assert _texts(index)["区协同办-2022.txt"].endswith(f"第{packs.MAX_PACKS + 2}次补充。")


def test_a_pack_of_the_wrong_size_is_read_again_from_the_sources(corpus, tmp_path, runner):
    index = tmp_path / "idx"
    build_index(corpus, index)
    good = runner.invoke(main, ["export", "--index", str(index)]).output
    gen = catalog.current_generation(index)
    (pack,) = (gen / "reports").glob("pack-*.z")
    pack.write_bytes(pack.read_bytes()[:-10])  # lost its end (a full disk, a crash)
    result = runner.invoke(main, ["index", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "read 万兴街-2022.txt again" in result.output
    assert runner.invoke(main, ["export", "--index", str(index)]).output == good


def test_reuse_after_many_edits_and_a_removal_is_what_a_full_build_finds(corpus, tmp_path):
    from test_incremental import _reuse_by_text

    index = tmp_path / "idx"
    build_index(corpus, index)
    source = (corpus / "区协同办-2022.txt").read_text(encoding="utf-8").splitlines()
    borrowed = sorted((line for line in source if len(line) > 40), key=len)[-3:]
    street = corpus / "万兴街-2022.txt"
    original = street.read_text(encoding="utf-8")
    for n, line in enumerate([*borrowed, "", borrowed[0]]):  # delta rows, dead rows, merges
        street.write_text(original + f"\n{line}\n", encoding="utf-8")
        if n == 3:
            (corpus / "区政府办公室-2022.txt").unlink()
        build_index(corpus, index)
        fresh = tmp_path / f"fresh-{n}"
        build_index(corpus, fresh)
        assert _reuse_by_text(index) == _reuse_by_text(fresh), n


def test_an_edit_writes_a_delta_of_the_window_table_and_later_merges_it(tmp_path):
    import subprocess
    import sys

    from test_incremental import _reuse_by_text

    from indexer.compare import window_table

    corpus, index = tmp_path / "corpus", tmp_path / "idx"
    root = Path(__file__).parent.parent
    gen = [sys.executable, str(root / "bench" / "gen_corpus.py"), str(corpus), "600"]
    subprocess.run(gen, check=True, capture_output=True, cwd=root)
    build_index(corpus, index)
    files = sorted(corpus.glob("*.txt"))
    donor = max(files[0].read_text(encoding="utf-8").splitlines(), key=len)
    seen_delta = seen_merge = False
    for n, victim in enumerate(files[1:9]):
        before = catalog.current_generation(index) / window_table.STATE
        victim.write_text(victim.read_text(encoding="utf-8") + f"\n{donor}\n", "utf-8")
        build_index(corpus, index)
        after = catalog.current_generation(index) / window_table.STATE
        linked = (after / "codes.npy").stat().st_ino == (before / "codes.npy").stat().st_ino
        if linked:  # the base is the previous generation's file; the delta holds the edit
            assert (after / "delta-h.npy").is_file()
            seen_delta = True
        else:  # merged: a new base, no delta
            assert not (after / "delta-h.npy").exists()
            seen_merge = True
        fresh = tmp_path / f"fresh-{n}"
        build_index(corpus, fresh)
        assert _reuse_by_text(index) == _reuse_by_text(fresh), n
    assert seen_delta and seen_merge


def test_generation_json_is_the_standard_librarys_compact_json():
    import json

    from indexer.store import jsonio

    data = {"id": "南开区-万兴街-2022", "year": 2022, "n": [1, 2.5, None, True], 7: {"段": "一"}}
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert jsonio.dumps(data) == expected
    assert jsonio.loads(expected) == json.loads(expected)
    with pytest.raises(ValueError):
        jsonio.loads(expected[:-3] + b"\xe6\xb3")


def test_a_run_that_changes_nothing_reads_no_report_metadata(corpus, tmp_path):
    """Its summary comes from the catalog: the metadata shards spoilt (same sizes, so
    the damage check's stat passes them) are not noticed, because they are not parsed."""
    index = tmp_path / "idx"
    first = build_index(corpus, index)
    gen = catalog.current_generation(index)
    saved = {shard: shard.read_bytes() for shard in (gen / catalog.METAS).glob("*.z")}
    for shard, data in saved.items():
        shard.write_bytes(b"x" * len(data))
    again = build_index(corpus, index)
    assert catalog.current_generation(index) == gen
    with pytest.raises(CorruptIndex):
        catalog.load_metas(gen)  # spoilt indeed
    assert again.unchanged == first.reports == again.reports
    assert (again.paragraphs, again.unknown, again.problems, again.formats) == (
        first.paragraphs,
        first.unknown,
        first.problems,
        first.formats,
    )


def test_a_touched_file_is_hashed_once_then_trusted_by_its_new_stat(corpus, tmp_path):
    from indexer.summary import STAT_OVERLAY

    index = tmp_path / "idx"
    build_index(corpus, index)
    gen = catalog.current_generation(index)
    path = corpus / "万兴街-2022.txt"
    os.utime(path, (HOUR_AGO + 60, HOUR_AGO + 60))  # touched: same bytes
    summary = build_index(corpus, index)
    assert summary.unchanged == 5 and catalog.current_generation(index) == gen
    overlay = catalog.read_json(gen / STAT_OVERLAY, {})
    assert list(overlay) == ["万兴街-2022.txt"]
    # the new stat is trusted now, as the catalog's: a same-size edit keeping it is unseen
    _same_size_edit(path, "2022", "2O22", keep_mtime=True)
    assert build_index(corpus, index).unchanged == 5
    assert "2O22" not in _texts(index)["万兴街-2022.txt"]
    # a real change makes a new generation, whose catalog holds every stat: no overlay
    os.utime(path, (HOUR_AGO + 120, HOUR_AGO + 120))
    assert build_index(corpus, index).updated == ["南开区-万兴街-2022"]
    assert not (catalog.current_generation(index) / STAT_OVERLAY).exists()
    assert "2O22" in _texts(index)["万兴街-2022.txt"]
