"""Report ids that survive rebuilds, and reports that are the same text twice.

A report id is a permalink: ``/reports/<id>``, saved searches and exported CSVs hold
it.  So an id, once given, stays with its file: a file indexed before keeps its old id
even when its metadata (and so its readable ``district-unit-year`` form) changes, and
a new file never takes an id an older file holds.  Among files new in one build, the
shorter name is served first, so ``区协同办.txt`` gets the plain id before
``copy of 区协同办.txt`` or ``区协同办 (1).txt`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Report
from .reports import assign_id


@dataclass
class Identities:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def assign_ids(
    kept: dict[str, Report],
    fresh: list[tuple[str, str, Report]],
    old_files: dict[str, dict],
) -> Identities:
    """Give each fresh report an id (in place); kept reports already hold theirs."""
    out = Identities()
    taken = {r.meta.id for r in kept.values()}
    order = sorted(fresh, key=lambda f: (f[0] not in old_files, len(f[0]), f[0]))
    for rel, _sha, report in order:
        stated = report.meta.id  # from the manifest, already validated
        previous = old_files.get(rel, {}).get("report")
        if stated and stated in taken:
            out.problems.append(
                f'{rel}: manifest id "{stated}" is held by another report; kept the report\'s '
                "own id"
            )
            report.meta.id = ""
        elif not stated and previous and previous not in taken:
            report.meta.id = previous
        report.meta.id = assign_id(report.meta, taken)
        taken.add(report.meta.id)
        (out.updated if rel in old_files else out.added).append(report.meta.id)
    return out


def duplicates(reports: list[Report], first: list[str]) -> list[str]:
    """ "b.txt: same text as a.txt" for each report whose text another one already has.

    ``first`` lists file names in the order they were indexed (older first); the
    earlier one is the original.
    """
    rank = {name: n for n, name in enumerate(first)}
    by_text: dict[str, list[Report]] = {}
    for report in reports:
        if report.meta.sha1:
            by_text.setdefault(report.meta.sha1, []).append(report)
    messages = []
    for group in by_text.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda r: (rank.get(r.meta.file, len(rank)), len(r.meta.file), r.meta.file))
        original = group[0].meta
        for copy in group[1:]:
            messages.append(
                f"{copy.meta.file}: same text as {original.file} (id {original.id}); "
                f"indexed as {copy.meta.id}"
            )
    return sorted(messages)
