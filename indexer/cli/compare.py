"""``fazhi tasks`` and ``fazhi compare task|years|reports|own``: thin over ``compare``.

Kept out of ``cli.py`` so the comparison commands can grow without that module doing
so; ``cli.py`` calls ``register(main)``.  Every command prints JSON with ``--json``;
a ``CompareError`` becomes a ``click.ClickException`` with a hint on what to try.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from .. import compare
from ..compare.reuse import own_text
from ..errors import FazhiError
from ..query import open_index
from .common import dump_json, index_option, json_option, mark_spans, shown

tasks_option = click.option(
    "--tasks",
    "tasks_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Task taxonomy (TOML) instead of the corpus's tasks.toml or the default.",
)
HINTS = {
    "task": "Hint: `fazhi tasks` lists the task ids and labels.",
    "unit": "Hint: `fazhi reports` lists units and years; `fazhi compare reports A B` "
    "compares any two reports.",
    "report": "Hint: `fazhi reports` lists the report ids.",
}


@contextmanager
def _session(index_dir: Path, hint: str):
    """An open index; the core's user errors become click errors with a hint."""
    try:
        with open_index(index_dir) as idx:
            yield idx
    except FazhiError as exc:
        extra = f"\n{HINTS[hint]}" if isinstance(exc, compare.CompareError) else ""
        raise click.ClickException(f"{exc}{extra}") from exc


def _label(meta) -> str:
    return shown(f"{meta.unit or meta.id} {meta.year or '?'}")


@click.command("tasks")
@click.option("--year", type=int, help="Only reports of this year.")
@tasks_option
@index_option
@json_option
def tasks_cmd(year, tasks_path, index_dir, as_json) -> None:
    """The task × report matrix: how many items of each report address each task."""
    with _session(index_dir, "task") as idx:
        matrix = compare.task_matrix(idx, tasks_path=tasks_path)
    if year is not None:
        matrix.reports = [m for m in matrix.reports if m.year == year]
    if as_json:
        dump_json(matrix.to_dict())
        return
    for n, meta in enumerate(matrix.reports, start=1):
        click.echo(f"[{n}] {shown(meta.id)} · {_label(meta)}")
    width = max((len(t.id) for t in matrix.tasks), default=4)
    head = "".join(f"{n:>4}" for n in range(1, len(matrix.reports) + 1))
    click.echo(f"\n{'task':<{width}}{head}  label")
    for t in matrix.tasks:
        row = matrix.counts.get(t.id, {})
        cells = "".join(f"{row.get(m.id, 0) or '·':>4}" for m in matrix.reports)
        click.echo(f"{shown(t.id):<{width}}{cells}  {shown(t.label)}")


@click.group("compare")
def compare_group() -> None:
    """Compare reports: by task, by year, or any two."""


@compare_group.command("task")
@click.argument("task", required=False)
@click.option("--query", "-q", help="A search query instead of a task.")
@click.option("--year", type=int, help="Only reports of this year.")
@tasks_option
@index_option
@json_option
def task_cmd(task, query, year, tasks_path, index_dir, as_json) -> None:
    """Per report, the items about TASK (id or label) or matching --query."""
    if bool(task) == bool(query):
        raise click.UsageError("give a TASK or --query (one of them)")
    with _session(index_dir, "task") as idx:
        view = compare.task_view(idx, task=task, query=query, year=year, tasks_path=tasks_path)
        metas = {m.id: m for m in idx.reports()}
    if as_json:
        dump_json(view.to_dict())
        return
    title = shown(f"{view.task.label} ({view.task.id})" if view.task else repr(view.query))
    click.echo(f"{title}: {len(view.columns)} report(s) address it")
    for col in view.columns:
        click.echo(f"\n== {_label(col.report)} · {shown(col.report.id)}")
        for item in col.items:
            text = mark_spans(item.text, item.highlights, bold=True, fg="red")
            click.echo(f"  ¶{item.paragraph} [{shown(item.section)}] {text}")
    if view.missing:
        names = "; ".join(_label(metas[r]) if r in metas else shown(r) for r in view.missing)
        click.echo(f"\nNot addressed in {len(view.missing)} report(s): {names}")


def _show_year_view(view: compare.YearView, as_json: bool) -> None:
    if as_json:
        dump_json(view.to_dict())
        return
    a_id, b_id = shown(view.a.id), shown(view.b.id)
    click.echo(f"A: {_label(view.a)} ({a_id})  →  B: {_label(view.b)} ({b_id})")
    for side, n in view.cut.items():
        click.echo(f"({side.upper()} is very long: only its first {n} paragraphs are compared)")
    for p in view.pairs:
        where = f"A¶{p.a.paragraph if p.a else '-'} B¶{p.b.paragraph if p.b else '-'}"
        click.echo(f"\n[{p.status} {p.score:.2f}] {p.section} {where}")
        if p.status == "changed":
            parts = []
            for op in p.diff:  # wdiff-style marks, so a pipe or a file keeps the changes
                if op.op == "equal":
                    parts.append(shown(op.text))
                elif op.op == "insert":
                    parts.append(click.style(f"{{+{shown(op.text)}+}}", fg="green"))
                else:
                    parts.append(click.style(f"[-{shown(op.text)}-]", fg="red"))
            click.echo("  " + "".join(parts))
        else:
            click.echo("  " + shown((p.b or p.a).text))
    click.echo("\nFigures:")
    for f in view.figures:
        a = shown(f.a.text) if f.a else "—"
        b = shown(f.b.text) if f.b else "—"
        change = f"  ({f.b.value - f.a.value:+g})" if f.a and f.b else ""
        click.echo(f"  {a}  |  {b}{change}")
    click.echo("\nPromises (A's plans → B):")
    for pr in view.promises:
        best = shown(pr.matches[0].sentence) if pr.matches else ""
        click.echo(
            f"  [{pr.status} {pr.score:.2f}] {shown(pr.text)}"
            + (f"\n      → {best}" if best else "")
        )
    if view.copied:
        click.echo("\nCopied from A:")
        for c in view.copied:
            click.echo(f"  B¶{c.b_paragraph} ({c.score:.2f}) {shown(c.text)}")


def _refuse_same(a_id: str, b_id: str) -> None:
    if a_id == b_id:
        raise click.ClickException(
            f"A and B are the same report ({a_id}): nothing to compare.\n"
            "Hint: `fazhi reports` lists the reports; pick another one as B."
        )


@compare_group.command("years")
@click.argument("unit")
@click.option("--from", "from_year", type=int, help="Earlier year (default: the one before --to).")
@click.option("--to", "to_year", type=int, help="Later year (default: the latest).")
@index_option
@json_option
def years_cmd(unit, from_year, to_year, index_dir, as_json) -> None:
    """One unit's report against its report of another year."""
    with _session(index_dir, "unit") as idx:
        a_id, b_id = compare.reports_for_unit(idx, unit, from_year, to_year)
        _refuse_same(a_id, b_id)
        view = compare.year_view(idx, a_id, b_id)
    _show_year_view(view, as_json)


@compare_group.command("reports")
@click.argument("a")
@click.argument("b")
@index_option
@json_option
def reports_cmd(a, b, index_dir, as_json) -> None:
    """Report A (the earlier) against report B, by id."""
    _refuse_same(a, b)
    with _session(index_dir, "report") as idx:
        view = compare.year_view(idx, a, b)
    _show_year_view(view, as_json)


@compare_group.command("own")
@click.argument("report_id")
@click.option(
    "--all-shared",
    is_flag=True,
    help="Also treat text repeated from the unit's own other years as not its own.",
)
@index_option
@json_option
def own_cmd(report_id, all_shared, index_dir, as_json) -> None:
    """What in a report is its own: shared boilerplate and copied passages dimmed."""
    kinds = ("boilerplate", "copied", "repeated") if all_shared else ("boilerplate", "copied")
    with _session(index_dir, "report") as idx:
        report = idx.report(report_id)
        if report is None:
            raise compare.CompareError(f"没有报告 {report_id}")
        rows = own_text(report, idx.reuse_of([report.meta.id]), kinds)
    if as_json:
        dump_json({"report": report_id, "paragraphs": [r.to_dict() for r in rows]})
        return
    for r in rows:
        click.echo(
            f"¶{r.paragraph} ({r.own_ratio:.0%} own) {mark_spans(r.text, r.reused, dim=True)}"
        )


def register(cli_group: click.Group) -> None:
    """Add ``tasks`` and ``compare`` to the ``fazhi`` command group."""
    cli_group.add_command(tasks_cmd)
    cli_group.add_command(compare_group)
