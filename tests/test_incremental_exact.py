"""An updated index holds exactly what a build from scratch of the same corpus holds.

Updates carry most build-time data over (task counts, audit rows and reuse spans of
unchanged reports, in shards rewritten only where a changed report lives); here a
generated corpus is edited, pruned, extended and touched, and every derived file and a
few searches of the updated index are compared with a fresh build's.

One known difference: a passage's sampled members (``members``, ``reports`` and the
counts made from them).  Members are the first ``SAMPLE`` holders of the passage's
windows in the order reports entered the window table, which an update changes (a
changed report goes to the end); and an update recomputes only the changed reports
and their non-boilerplate neighbours, so a changed report can be missing from the
members of a boilerplate passage it only shares windows with.  The test holds the
sampled members to mostly the same reports, and everything else to equality — the text
up to ``reuse.normal`` (of variants differing in punctuation or spaces, the one shown
is the first met, which depends on the order reports were processed).
"""

import os
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
from generated import generate_corpus

from indexer.build import build_index
from indexer.compare.reuse import normal
from indexer.query import open_index
from indexer.store import catalog

HOUR_AGO = time.time() - 3600
QUERIES = ['"法律顾问"', "公职律师", '"行政复议"', "普法"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = generate_corpus(tmp_path_factory.mktemp("exact-corpus"), body=4, reports=90)
    for f in folder.iterdir():  # older than the scan's "racily clean" window
        os.utime(f, (HOUR_AGO, HOUR_AGO))
    return folder


def derived(index: Path) -> dict:
    """Everything a build derives, as readers see it."""
    with open_index(index) as idx:
        reuse = idx.reuse()
        return {
            "metas": sorted(map(repr, idx.reports())),
            "reuse": reuse,
            "audit": idx.audit_rows(),
            "tasks": idx.task_rows(),
            "table": catalog.read_json(idx.gen / "report-table.json", None),
            "reports": {m.id: repr(idx.report(m.id)) for m in idx.reports()},
            "searches": {q: search(idx, q) for q in QUERIES},
        }


def sampled(reuse: dict) -> dict[str, set[str]]:
    """Each passage's sampled members, taken out of ``reuse`` (see the module docstring:
    an update knows a changed report's membership in passages only through the runs it
    computes, a fresh build also through the samples of every other holder)."""
    out = {}
    for passage in reuse["passages"]:
        passage["text"] = normal(passage["text"])  # which of equal variants: by order
        out[passage["text"]] = set(passage.pop("members")) | set(passage.pop("reports"))
        passage.pop("report_count"), passage.pop("unit_count")
    return out


def search(idx, query: str) -> tuple:
    """Which paragraphs match, the facets and the units never mentioning it (the order
    of equal scores may differ: an updated store holds deleted documents)."""
    result = idx.search(query, limit=1000)
    hits = sorted((h.report, h.paragraph) for h in result.hits)
    return result.total, hits, result.facets, sorted(result.missing)


def alone(index: Path) -> list[str]:
    """Files whose report is the only one of its unit and year: removing or renaming
    them changes no other report's id (ids of same-named reports keep their history)."""
    with open_index(index) as idx:
        metas = idx.reports()
    count = Counter((m.unit, m.year) for m in metas)
    return sorted(m.file for m in metas if count[(m.unit, m.year)] == 1)


def change(folder: Path, step: int, files: list[str]) -> None:
    victim = folder / files[(7 * step) % len(files)]
    other = (folder / files[(7 * step + 11) % len(files)]).read_text(encoding="utf-8")
    longest = max(other.splitlines(), key=len)
    text = victim.read_text(encoding="utf-8")
    if step % 3 == 0:  # an edit: one more paragraph, one copied from another report
        victim.write_text(text + "\n此外，聘请公职律师一名。\n" + longest + "\n", "utf-8")
    elif step % 3 == 1:  # a removed file, and a new one (the same report, renamed)
        victim.unlink()
        (folder / f"new-{step}.txt").write_text(text + "\n" + longest + "\n", "utf-8")
    else:  # a paragraph dropped
        lines = text.splitlines()
        victim.write_text("\n".join(lines[: len(lines) // 2 + 3]) + "\n", "utf-8")
    os.utime(folder / files[(5 * step + 1) % len(files)])  # a touch, seen by the stat check


def test_updates_hold_what_a_fresh_build_holds(corpus, tmp_path):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    updated = tmp_path / "updated"
    build_index(work, updated)
    files = alone(updated)
    for step in range(4):
        change(work, step, files)
        summary = build_index(work, updated)
        assert summary.updated or summary.added or summary.removed
        fresh = tmp_path / f"fresh-{step}"
        build_index(work, fresh)
        got, want = derived(updated), derived(fresh)
        for name in want:
            if name == "reuse":
                got_members, want_members = sampled(got[name]), sampled(want[name])
                for text, members in got_members.items():  # real holders, most of them
                    assert len(members & want_members[text]) * 2 > len(want_members[text])
            assert got[name] == want[name], f"step {step}: {name} differs from a fresh build"
        shutil.rmtree(fresh)
        files = alone(updated)


def test_an_update_rewrites_only_the_shards_of_changed_reports(corpus, tmp_path):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    index = tmp_path / "idx"
    build_index(work, index)
    before = catalog.current_generation(index)
    victim = sorted(work.glob("*.txt"))[3]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n此外，新增一项。\n", "utf-8")
    summary = build_index(work, index)
    after = catalog.current_generation(index)
    assert after != before and len(summary.updated) == 1
    for folder in ("tasks", "audit"):
        shards = sorted((after / folder).glob("*.z"))
        same = [s for s in shards if s.stat().st_ino == (before / folder / s.name).stat().st_ino]
        assert len(shards) == 64 and len(same) >= 50, folder  # the rest still hard links
