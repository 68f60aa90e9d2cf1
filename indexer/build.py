"""Incremental index build by content hash, into a new generation swapped in atomically.

Only new, changed or removed files touch the store; unchanged reports are carried
over from the previous generation.  Unreadable files are reported by name with the
reason and skipped — the rest is indexed.  Any failure discards the new generation,
so the previous index stays live.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .ingest.identity import assign_ids, duplicates
from .ingest.manifest import ManifestError, load_manifest
from .ingest.read import UnreadableFile, corpus_names, display_name, read_report, sniff_suffix
from .ingest.reports import PARSE_VERSION, parse_report
from .model import BuildSummary, Report
from .store import backend as backends
from .store import catalog
from .store.check import clear_reported_damage, damage, previous_files, reported_damage
from .store.lazy import KeptReports
from .store.lock import build_lock
from .summary import (
    STAT_OVERLAY,
    record_stats,
    unchanged_summary,
    unknown_fields,
    with_stat_overlay,
)

__all__ = ["ManifestError", "build_index"]
Progress = Callable[[int, int, str], None]


def _fingerprint(data: bytes, override: dict) -> str:
    digest = hashlib.sha1(data)
    digest.update(json.dumps(override, sort_keys=True, ensure_ascii=False).encode())
    digest.update(PARSE_VERSION.encode())  # new parsing rules re-read unchanged files
    return digest.hexdigest()


_OVERRIDES: dict[str, str] = {}


def _stat_key(st: os.stat_result, override: dict, started_ns: int) -> str:
    """Size, mtime and manifest entry of a source file: equal keys mean an unchanged file,
    so it is not read at all.  A file modified in the last two seconds before the scan
    gets no key (it could change again within the clock's tick unseen) and is hashed
    next time, as git does with "racily clean" files."""
    if st.st_mtime_ns > started_ns - 2_000_000_000:
        return ""
    # most files have no manifest entry: json.dumps per file was 0.4 s at 47k files
    text = json.dumps(override, sort_keys=True, ensure_ascii=False) if override else "{}"
    digest = _OVERRIDES.get(text)
    if digest is None:
        digest = _OVERRIDES[text] = hashlib.sha1((text + PARSE_VERSION).encode()).hexdigest()[:12]
    return f"{st.st_size}:{st.st_mtime_ns}:{digest}"


FEW_REPORTS = 500  # an update of at most this many read reports runs without the collector


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for an update, back as it was after.

    An update holds millions of small objects it parsed from the generation's JSON
    (report metadata, reuse spans, the file table); each full collection walks all of
    them, and allocating them triggered many: 40% of a one-report edit's CPU at 1M
    paragraphs.  An update of a few reports makes little cyclic garbage (it is freed
    when the collector is back); a build reading more turns it on again (``_build``).
    What is still alive after a small update (module caches, mostly) is frozen out of
    later collections: the first full collection after the pause walked it, 0.2–0.4 s."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.isenabled():
                gc.freeze()
            gc.enable()


def build_index(
    corpus: Path,
    index_dir: Path,
    progress: Progress | None = None,
    on_wait: Callable[[str], None] | None = None,
    backend: str | None = None,
) -> BuildSummary:
    """Build under the index's lock (``on_wait`` hears why a second build waits).

    ``backend``: ``whoosh`` or ``sphinx://HOST:PORT``; ``None`` keeps the index's own.
    """
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {corpus}")
    with build_lock(index_dir, on_wait), collector_paused():
        return _build(corpus, index_dir, progress, backend)


def _build(
    corpus: Path, index_dir: Path, progress: Progress | None, backend: str | None
) -> BuildSummary:
    manifest = load_manifest(corpus)
    previous = catalog.current_generation(index_dir)
    engine = backends.choose(previous, backend)
    old_files, old_catalog = previous_files(previous) if previous is not None else ({}, None)
    repair = damage(previous, old_catalog) if previous is not None else None
    if repair is not None:
        previous = None  # rebuild the whole generation; ids still come from old_files

    lazy = KeptReports(previous) if previous is not None else None
    bad = reported_damage(previous, old_files, lazy.pack_index) if lazy is not None else set()
    if previous is not None:
        old_files = with_stat_overlay(previous, old_files)
    names = corpus_names(corpus)
    problems = manifest.problems + manifest.missing_files(corpus)
    problems += [f"{repair}; rebuilt the whole index"] if repair else []
    carried: dict[str, str] = {}  # file -> id of its unchanged report (read if needed)
    fresh: list[tuple[str, str, Report]] = []
    skipped: list[tuple[str, str]] = []
    formats: dict[str, str] = {}
    stats: dict[str, str] = {}

    def read_fresh(rel: str, path: str, override: dict, data: bytes | None = None) -> None:
        try:
            data = Path(path).read_bytes() if data is None else data
            extracted = read_report(Path(path), data)
        except OSError as exc:
            skipped.append((rel, f"cannot read: {exc.strerror or exc}"))
            return
        except UnreadableFile as exc:
            skipped.append((rel, str(exc)))
            return
        formats[rel] = extracted.format
        report = parse_report(extracted.text, rel, override, extracted.hints)
        fresh.append((rel, _fingerprint(data, override), report))

    started_ns = time.time_ns()
    for done, name in enumerate(names, start=1):
        path = os.path.join(corpus, name)  # a str: a Path only for the files read
        rel = display_name(name)
        if progress:
            progress(done, len(names), rel)
        override = manifest.get(rel, {})
        old = old_files.get(rel)
        try:
            stats[rel] = _stat_key(os.stat(path), override, started_ns)
        except OSError as exc:
            skipped.append((rel, f"cannot read: {exc.strerror or exc}"))
            continue
        reuse_old = previous is not None and old and old["report"] not in bad
        reuse_old = reuse_old and lazy.holds(old["report"])
        if reuse_old and stats[rel] and old.get("stat") == stats[rel]:
            carried[rel] = old["report"]  # same size, mtime and manifest entry: unread
            formats[rel] = old.get("format") or sniff_suffix(Path(path))
            continue
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            skipped.append((rel, f"cannot read: {exc.strerror or exc}"))
            continue
        if old and old["report"] in bad:
            problems.append(f"index file of {rel} was found damaged; read {rel} again")
        elif reuse_old and old["sha1"] == _fingerprint(data, override):
            carried[rel] = old["report"]  # paragraphs read only if needed
            formats[rel] = old.get("format") or sniff_suffix(Path(path))
            continue
        read_fresh(rel, path, override, data)

    if len(fresh) > FEW_REPORTS:
        gc.enable()  # a big build makes garbage in proportion: the collector runs again
    changed = bool(fresh or bad) or len(carried) < len(old_files) or previous is None
    if not (changed or engine.fresh) and old_catalog and "summary" in old_catalog:
        # nothing to write: no report is made, metas.json is not even read
        touched = {r: stats[r] for r in carried if stats[r] != old_files[r].get("stat")}
        record_stats(previous, touched)
        return unchanged_summary(old_catalog, old_files, skipped, problems)
    kept: dict[str, Report] = {}
    for rel, report_id in carried.items():
        report = lazy.get(report_id)
        if report is not None:
            kept[rel] = report
        else:  # the generation lacks its metadata: read the file again
            read_fresh(rel, os.path.join(corpus, rel), manifest.get(rel, {}))

    present = kept.keys() | {rel for rel, _, _ in fresh}  # built once: a set per file was quadratic
    delete_ids = [old["report"] for rel, old in old_files.items() if rel not in kept]
    removed = [old["report"] for rel, old in old_files.items() if rel not in present]
    ids = assign_ids(kept, fresh, old_files)
    added, updated = ids.added, ids.updated

    reports = sorted(
        [*kept.values(), *(r for _, _, r in fresh)],
        key=lambda r: (r.meta.unit or "", r.meta.year or 0, r.meta.id),
    )
    problems += ids.problems
    copies = duplicates(reports, [*old_files, *(rel for rel, _, _ in fresh)])
    unknown = unknown_fields(reports)
    changed = bool(fresh or delete_ids or bad) or previous is None or engine.fresh
    if changed:
        # imported here: numpy and the comparisons are a third of a no-change run's time
        from .derived import update_derived, update_task_rows

        gen = catalog.new_generation(index_dir, copy_live=previous is not None)
        (gen / STAT_OVERLAY).unlink(missing_ok=True)  # the new catalog has every stat
        try:
            to_write = [r for _, _, r in fresh] + (list(kept.values()) if engine.fresh else [])
            with engine.writer(gen) as store:
                written = iter(range(1, len(to_write) + 1))

                def on_report(report: Report) -> None:
                    if progress:
                        progress(next(written), len(to_write), f"indexing {report.meta.file}")

                store.replace_reports(to_write, [] if engine.fresh else delete_ids, on_report)
            engine.record(gen)
            files_map = {
                r.meta.file: {
                    "sha1": "",
                    "report": r.meta.id,
                    "format": formats[r.meta.file],
                    "stat": stats[r.meta.file],
                }
                for r in reports
            }
            for rel, sha, _ in fresh:
                files_map[rel]["sha1"] = sha
            for rel in kept:
                files_map[rel]["sha1"] = old_files[rel]["sha1"]
            fresh_ids = {r.meta.id for _, _, r in fresh}
            packs = lazy.pack_index if lazy is not None else None
            catalog.write_reports(gen, reports, fresh_ids, delete_ids, packs)
            old_metas = lazy.metas() if lazy is not None else None
            update_derived(gen, reports, fresh_ids, old_metas)  # reuse, audit
            update_task_rows(gen, reports, corpus, fresh_ids, delete_ids)
            catalog.write_json(
                gen / "catalog.json",
                {
                    "format": catalog.FORMAT,
                    "corpus": str(corpus.resolve()),
                    "files": files_map,
                    "skipped": skipped,
                    "sizes": catalog.whole_file_sizes(gen),
                    "paragraphs": sum(r.meta.paragraphs for r in reports),
                    "summary": {"unknown": unknown, "duplicates": copies},
                },
                compress=True,
            )
        except BaseException:
            catalog.discard(gen)
            raise
        catalog.publish(index_dir, gen)
        clear_reported_damage(index_dir)
        engine.published(gen)
    return BuildSummary(
        reports=len(reports),
        paragraphs=sum(r.meta.paragraphs for r in reports),
        added=added,
        updated=updated,
        removed=removed,
        unchanged=len(kept),
        skipped=skipped,
        unknown=unknown,
        problems=problems + copies,
        formats=dict(Counter(formats[r.meta.file] for r in reports)),
    )
