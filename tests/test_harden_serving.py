"""Sweep (issue 10 item 19): what makes serving fast must never serve a stale answer."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.query import IndexCache, open_index
from webui import create_app

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture
def live(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "ix")
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")})
    return corpus, tmp_path / "ix", app


def test_cached_page_is_byte_identical_and_keeps_its_headers(live):
    _, _, app = live
    client = app.test_client()
    first = client.get("/?q=公职律师")
    second = client.get("/?q=公职律师")
    cache = app.extensions["fazhi_page_cache"]
    assert cache.hits == 1
    assert second.get_data() == first.get_data()
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert "HX-Request" in second.headers["Vary"]


def test_htmx_fragment_and_full_page_are_kept_apart(live):
    _, _, app = live
    client = app.test_client()
    full = client.get("/?q=公职律师").get_data(as_text=True)
    fragment = client.get("/?q=公职律师", headers={"HX-Request": "true"})
    assert "<html" in full and "<html" not in fragment.get_data(as_text=True)
    assert fragment.headers["HX-Push-Url"]
    again = client.get("/?q=公职律师", headers={"HX-Request": "true"})
    assert again.headers["HX-Push-Url"] == fragment.headers["HX-Push-Url"]
    restore = client.get(
        "/?q=公职律师", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.get_data(as_text=True)


def test_a_new_generation_is_never_answered_from_the_cache(live):
    corpus, index_dir, app = live
    client = app.test_client()
    before = client.get("/api/search?q=公职律师&limit=0").get_json()
    client.get("/api/search?q=公职律师&limit=0")
    (corpus / "万兴街-2022.txt").unlink()
    build_index(corpus, index_dir)
    after = client.get("/api/search?q=公职律师&limit=0").get_json()
    assert len(after["missing"]) + len(after["facets"]["report"]) == 4
    assert after != before


def test_errors_are_not_kept(live):
    _, _, app = live
    client = app.test_client()
    assert client.get("/?q=AND").status_code == 400
    assert client.get("/?q=AND").status_code == 400
    assert app.extensions["fazhi_page_cache"].hits == 0


def test_cache_is_bounded(live):
    _, _, app = live
    cache = app.extensions["fazhi_page_cache"]
    cache.max_entries = 3
    client = app.test_client()
    for word in ("公职律师", "法律顾问", "行政复议", "普法", "执法"):
        client.get("/api/search", query_string={"q": word})
    assert len(cache._pages) == 3
    client.get("/api/search", query_string={"q": "公职律师"})  # evicted: computed again
    assert cache.hits == 0


def test_open_stores_are_reused_and_closed_with_their_generation(live):
    corpus, index_dir, _ = live
    cache = IndexCache(keep=1)
    with open_index(index_dir, cache) as idx:
        first = idx.store
        idx.search("公职律师")
    with open_index(index_dir, cache) as idx:
        assert idx.store is first  # borrowed again, not reopened
    (corpus / "万兴街-2022.txt").unlink()
    build_index(corpus, index_dir)
    with open_index(index_dir, cache) as idx:
        assert idx.store is not first
        assert len(idx.reports()) == 4
    assert first.ix is not None and first._searcher is None  # closed with its generation


def test_concurrent_requests_share_stores_safely(live):
    _, _, app = live
    app.config["PAGE_CACHE"] = False
    expected = app.test_client().get("/api/search?q=法律顾问&limit=0").get_json()
    errors: list[str] = []

    def worker(n: int) -> None:
        client = app.test_client()
        for word in ("法律顾问", "公职律师", "法律顾问"):
            r = client.get("/api/search", query_string={"q": word, "limit": 0, "n": n})
            if r.status_code != 200:
                errors.append(r.status)
            elif word == "法律顾问" and r.get_json() != expected:
                errors.append("different answer")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_fast_nfkc_equals_unicodedata_on_report_and_random_text():
    import random
    import unicodedata

    from indexer.fold import fold, nfkc

    texts = [line for path in CORPUS.glob("*.txt") for line in path.read_text("utf-8").split("\n")]
    rng = random.Random(11)
    ranges = [
        (0xFF00, 0xFFEF),  # half- and full-width forms
        (0x0300, 0x036F),  # combining marks
        (0x2E80, 0x2FD5),  # CJK radicals, Kangxi radicals
        (0x3000, 0x3040),
        (0x0020, 0x007F),
        (0x2460, 0x24FF),  # enclosed numbers
        (0xFB00, 0xFB4F),  # ligatures
        (0x1100, 0x1200),  # Hangul jamo (NFC composes them)
        (0x4E00, 0x4E40),
    ]
    pool = [chr(c) for lo, hi in ranges for c in range(lo, hi)]
    texts += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 16))) for _ in range(20000)]
    for text in texts:
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
        assert fold(text) == "".join(unicodedata.normalize("NFKC", text).split())


def test_an_index_deleted_and_built_again_is_not_answered_from_before(live):
    corpus, index_dir, app = live
    client = app.test_client()
    before = client.get("/api/search?q=公职律师&limit=0").get_json()
    assert client.get("/reports").status_code == 200
    shutil.rmtree(index_dir)
    (corpus / "万兴街-2022.txt").unlink()
    build_index(corpus, index_dir)  # gen-000001 again, another folder
    after = client.get("/api/search?q=公职律师&limit=0").get_json()
    assert after != before
    assert len(after["missing"]) + len(after["facets"]["report"]) == 4
