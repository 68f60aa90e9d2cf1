"""The per-segment bigram files: exact postings, exact text, kept in step with Whoosh."""

import random
import shutil
from pathlib import Path

import pytest
from generated import generate_corpus
from whoosh import index as whoosh_index

from indexer.build import build_index
from indexer.fold import fold
from indexer.query import open_index
from indexer.store import catalog, exact, grams
from indexer.store.check import damage

CORPUS = Path(__file__).parent.parent / "corpus"
TEXTS = [
    "公职律师参与合法性审核",
    "",
    "法",
    "法治政府建设",
    "ICP备案12.5%；COVID-19",
    "𠀀𠀁汉字扩展B区",  # outside the BMP: 4 UTF-8 bytes, one code point
    "审核审核审核",
    "a",
]


def _scan(texts, needle):
    return {d for d, t in enumerate(texts) if needle in t}


def test_postings_equal_a_scan_for_every_bigram_and_character():
    segment = grams.SegmentGrams.of_texts(TEXTS)
    assert len(segment) == len(TEXTS)
    seen = {t[i : i + 2] for t in TEXTS for i in range(len(t) - 1)}
    for gram in seen:
        assert set(segment.posting(grams.gram_key(*gram))) == _scan(TEXTS, gram), gram
    for char in {c for t in TEXTS for c in t}:
        assert set(segment.starting_with(char)) == _scan(TEXTS, char), char
    assert not segment.posting(grams.gram_key("无", "有"))
    for d, text in enumerate(TEXTS):
        assert segment[d] == text
        assert segment.lengths[d] == len(text.encode("utf-8"))  # BM25's length


def test_random_texts_round_trip_through_a_file(tmp_path):
    rng = random.Random(7)
    alphabet = "法治政府建设公职律师审核aB1，。𠀀"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(300)]
    path = tmp_path / "MAIN_x.grams"
    grams.write(path, texts)
    assert grams.damage(path) is None
    segment = grams.SegmentGrams.open(path)
    for _ in range(200):
        text = rng.choice([t for t in texts if t])
        start = rng.randrange(len(text))
        needle = text[start : start + rng.randint(1, 5)]
        expected = _scan(texts, needle)
        if len(needle) == 1:
            found = set(segment.starting_with(needle))
        else:
            keys = grams.phrase_keys(needle)
            found = set.intersection(*(set(segment.posting(k)) for k in keys))
            found = set(segment.verified(sorted(found), needle).tolist())
        assert found == expected, needle
        every = list(range(len(texts)))
        assert segment.occurrences(every, needle).tolist() == [t.count(needle) for t in texts]


def test_a_byte_match_across_two_characters_is_no_match():
    # UTF-16-LE: "丁一" is the bytes 01 4E 00 4E; at byte offset 1 they read 4E 00, which
    # is "N" — a byte match that straddles both characters and is no character match
    first, second = "丁", "一"
    text = first + second
    shifted = bytes.fromhex("4e00").decode("utf-16-le")
    assert shifted == "N"
    assert text.encode("utf-16-le").find(shifted.encode("utf-16-le")) == 1  # a byte match
    texts = [text, shifted + "x", text + shifted]
    segment = grams.SegmentGrams.of_texts(texts)
    for needle in (shifted, shifted + second, "x"):
        everyone = list(range(len(texts)))
        assert set(segment.verified(everyone, needle).tolist()) == _scan(texts, needle), needle
        assert segment.occurrences(everyone, needle).tolist() == [t.count(needle) for t in texts]
    assert segment.verified([0], shifted).tolist() == []  # the odd byte match is skipped
    assert segment.occurrences([2], shifted).tolist() == [1]  # only the aligned one counts


def test_ascii_case_aside_matches_and_counts_the_text_lowered():
    texts = ["ICP备案icp", "Icp", "备案", "iCPicp"]
    segment = grams.SegmentGrams.of_texts(texts)
    everyone = list(range(len(texts)))
    assert segment.verified(everyone, "icp", lower=True).tolist() == [0, 1, 3]
    assert segment.occurrences(everyone, "icp", lower=True).tolist() == [2, 1, 0, 2]


def test_a_cut_file_is_named_not_read(tmp_path):
    path = tmp_path / "MAIN_y.grams"
    grams.write(path, TEXTS)
    path.write_bytes(path.read_bytes()[:-3])
    assert "not a whole bigram file" in grams.damage(path)
    with pytest.raises(grams.GramsError):
        grams.SegmentGrams.open(path)
    assert "No such file" in grams.damage(tmp_path / "absent.grams")


def _segments_and_files(store: Path) -> tuple[set[str], set[str]]:
    ix = whoosh_index.open_dir(str(store))
    segments = {s.segment_id() for s in ix._segments()}
    ix.close()
    files = {p.stem for p in store.glob("*.grams")}
    return segments, files


def test_every_segment_has_its_file_and_merged_ones_go(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "idx"
    build_index(corpus, index)
    files = sorted(corpus.glob("*.txt"))
    for n in range(8):  # small segments, which Whoosh merges as they accumulate
        path = files[n % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + f"\n新增第{n}段：公职律师。\n", "utf-8")
        build_index(corpus, index)
        segments, on_disk = _segments_and_files(catalog.current_generation(index) / "store")
        assert segments == on_disk
    texts = [fold(p.read_text(encoding="utf-8")) for p in files]
    with open_index(index) as idx:
        for needle in ("公职律师", "新增第", "法治政府建设", "第7段"):
            paragraphs = [fold(p.text) for r in idx.all_reports() for p in r.paragraphs]
            assert idx.search(f'"{needle}"', limit=0).total == sum(needle in t for t in paragraphs)
            assert idx.search(f'"{needle}"', limit=0).total <= sum(t.count(needle) for t in texts)


def test_a_lost_file_still_answers_and_the_next_build_writes_it(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "idx"
    build_index(corpus, index)
    with open_index(index) as idx:
        before = {w: idx.search(w, limit=0).total for w in ('"公职律师"', "法律顾问", "法")}
    gen = catalog.current_generation(index)
    lost = next((gen / "store").glob("*.grams"))
    lost.unlink()
    with open_index(index) as idx:  # built in memory from the stored text
        assert {w: idx.search(w, limit=0).total for w in before} == before
    assert lost.name in damage(gen)
    summary = build_index(corpus, index)
    assert any(lost.name in p and "rebuilt" in p for p in summary.problems)
    gen = catalog.current_generation(index)
    segments, on_disk = _segments_and_files(gen / "store")
    assert segments == on_disk and damage(gen) is None
    with open_index(index) as idx:
        assert {w: idx.search(w, limit=0).total for w in before} == before


def test_two_processes_write_the_files_one_would(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "idx"
    build_index(corpus, index)
    path = sorted(corpus.glob("*.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段。\n", "utf-8")
    build_index(corpus, index)  # two segments
    store = catalog.current_generation(index) / "store"
    serial = {p.name: p.read_bytes() for p in store.glob("*.grams")}
    assert len(serial) == 2
    for p in store.glob("*.grams"):
        p.unlink()
    monkeypatch.setattr(exact, "PARALLEL_MIN_DOCS", 0)
    ix = whoosh_index.open_dir(str(store))
    try:
        assert exact.write_missing(ix, store, exact.ParagraphTexts(store.parent), procs=2) == 2
    finally:
        ix.close()
    assert {p.name: p.read_bytes() for p in store.glob("*.grams")} == serial


def test_worker_processes_write_the_files_the_parent_would(tmp_path):
    """A build of ≥ 5,000 paragraphs goes through Whoosh's two worker processes, which
    write their segments' files themselves: byte for byte what the parent writes from
    the stored paragraphs, and every phrase answers as a scan does."""
    corpus, index = generate_corpus(tmp_path / "corpus", 6000), tmp_path / "idx"
    build_index(corpus, index)
    store = catalog.current_generation(index) / "store"
    segments, on_disk = _segments_and_files(store)
    assert len(segments) >= 2 and segments == on_disk
    written = {p.name: p.read_bytes() for p in store.glob("*.grams")}
    for p in store.glob("*.grams"):
        p.unlink()
    ix = whoosh_index.open_dir(str(store))
    try:
        exact.write_missing(ix, store, exact.ParagraphTexts(store.parent), procs=1)
    finally:
        ix.close()
    assert {p.name: p.read_bytes() for p in store.glob("*.grams")} == written
    with open_index(index) as idx:
        texts = [fold(p.text) for r in idx.all_reports() for p in r.paragraphs]
        assert len(texts) >= 5000
        for needle in ("公职律师", "法律顾问", "习近平法治思想", "年", "，", "2023"):
            assert idx.search(f'"{needle}"', limit=0).total == sum(fold(needle) in t for t in texts)


def test_updates_merge_their_small_segments_never_the_build(tmp_path, monkeypatch):
    """Whoosh's default policy merged every segment once a build passed ~240k
    paragraphs; ours merges only the small segments updates add."""
    from indexer.store import whoosh as whoosh_store

    monkeypatch.setattr(whoosh_store, "TINY_DOCS", 50)  # the seeds' build: one ~99-doc segment
    monkeypatch.setattr(whoosh_store, "MAX_TINY", 3)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "idx"
    build_index(corpus, index)
    (built,), _ = _segments_and_files(catalog.current_generation(index) / "store")
    files = sorted(corpus.glob("*.txt"))
    counts = []
    for n in range(7):
        path = files[n % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + f"\n第{n}次补充。\n", "utf-8")
        build_index(corpus, index)
        segments, on_disk = _segments_and_files(catalog.current_generation(index) / "store")
        assert built in segments and segments == on_disk
        counts.append(len(segments))
    assert any(b < a for a, b in zip(counts, counts[1:], strict=False))  # small ones merged


def _odd_byte_match(texts, needle):
    encoded = needle.encode("utf-16-le")
    for text in texts:
        data = text.encode("utf-16-le")
        at = data.find(encoded)
        while at >= 0:
            if at % 2:
                return True
            at = data.find(encoded, at + 1)
    return False


def test_always_aligned_is_never_wrong():
    """A needle judged always aligned has no odd byte match in any text of the segment
    (else its byte counts would be wrong); the alphabet makes odd matches common."""
    rng = random.Random(11)
    alphabet = "丁一N乁A亁a法治𠀀"  # 丁一 = 01 4E 00 4E: "N" (4E 00) straddles them
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(200)]
    segment = grams.SegmentGrams.of_texts(texts)
    judged = {True: 0, False: 0}
    for _ in range(300):
        needle = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3)))
        aligned = segment.always_aligned(needle.encode("utf-16-le"))
        judged[aligned] += 1
        if aligned:
            assert not _odd_byte_match(texts, needle), needle
        everyone = list(range(len(texts)))
        assert segment.occurrences(everyone, needle).tolist() == [t.count(needle) for t in texts]
        expected = sorted(_scan(texts, needle))
        assert segment.verified(everyone, needle).tolist() == expected, needle
    assert judged[True] and judged[False]  # both branches really taken
    assert segment.always_aligned("法治政府".encode("utf-16-le"))  # 政, 府 absent here


def _mapped_kb(path) -> int:
    """Resident KB of this process's mappings of ``path`` (from /proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps") as fh:
        for line in fh:
            head = line.split()
            if "-" in head[0] and len(head) >= 5 and ":" in head[3]:
                inside = len(head) > 5 and head[5] == str(path)
            elif inside and line.startswith("Rss:"):
                total += int(head[1])
    return total


def test_release_unmaps_touched_pages_and_reads_stay_right(tmp_path):
    rng = random.Random(3)
    texts = [
        "".join(rng.choice("法治政府建设公职律师审核") for _ in range(200)) for _ in range(3000)
    ]
    path = tmp_path / "MAIN_r.grams"
    grams.write(path, texts)
    segment = grams.SegmentGrams.open(path)
    expected = sorted(_scan(texts, "公职律师"))
    everyone = list(range(len(texts)))
    assert segment.verified(everyone, "公职律师").tolist() == expected
    assert _mapped_kb(path) > 500  # the text was read through the mapping
    segment.release()
    assert _mapped_kb(path) == 0
    assert segment.verified(everyone, "公职律师").tolist() == expected  # mapped again
