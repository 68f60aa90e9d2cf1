"""The ``fazhi`` command: thin over the library, ``--json`` wherever it prints data.

Errors a user can fix become ``click.ClickException`` with a hint; nothing here
searches or parses by itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..build import ManifestError, build_index
from ..errors import FazhiError
from ..faults import signals_as_interrupt
from ..model import SECTIONS, Filters, Hit
from ..query import open_index
from .audit import audit_cmd
from .common import dump_json, index_option, json_option, mark_spans, shown
from .compare import register as register_compare
from .edge import FazhiGroup, describe_listen_error, describe_os_error


def _open(index_dir: Path):
    try:
        return open_index(index_dir)
    except FazhiError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(cls=FazhiGroup)
@click.version_option(package_name="fazhi-index")
def main() -> None:
    """Fazhi Index: search and compare 法治政府建设年度报告."""


@main.command("index")
@click.argument("corpus", default="corpus", type=click.Path(path_type=Path))
@index_option
@click.option(
    "--backend",
    help="whoosh (embedded, the default) or sphinx://HOST:PORT (a cluster's aggregator); "
    "recorded in the index, so later commands need no flag.",
)
@json_option
def index_cmd(corpus: Path, index_dir: Path, backend: str | None, as_json: bool) -> None:
    """Build or update the index of CORPUS (only new, changed or removed files are redone)."""
    show = sys.stderr.isatty() and not as_json

    def progress(done: int, total: int, name: str) -> None:
        if show:
            filled = int(30 * done / max(total, 1))
            bar = "#" * filled + "-" * (30 - filled)
            click.echo(f"\r[{bar}] {done}/{total} {name[:40]:<40}", nl=False, err=True)

    def waiting(message: str) -> None:
        click.echo(message, err=True)

    try:
        with signals_as_interrupt():  # kill (SIGTERM) stops the build as Ctrl-C does
            summary = build_index(
                corpus, index_dir, progress=progress, on_wait=waiting, backend=backend
            )
    except (FileNotFoundError, ManifestError) as exc:
        hint = "Hint: pass the folder that holds the .txt reports."
        raise click.ClickException(f"{exc}\n{hint}") from exc
    except FazhiError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        message = describe_os_error(exc)
        raise click.ClickException(f"{message}\nThe previous index is unchanged.") from exc
    finally:
        if show:
            click.echo("", err=True)
    if as_json:
        dump_json(summary.to_dict())
        return
    click.echo(
        f"{summary.reports} reports, {summary.paragraphs} paragraphs "
        f"(added {len(summary.added)}, updated {len(summary.updated)}, "
        f"removed {len(summary.removed)}, unchanged {summary.unchanged}) → {index_dir}"
    )
    if summary.formats:
        counts = ", ".join(f"{n} {fmt}" for fmt, n in sorted(summary.formats.items()))
        click.echo(f"indexed files by format: {counts}")
    for name, reason in summary.skipped:
        click.echo(f"skipped {shown(name)}: {shown(reason)}", err=True)
    for problem in summary.problems:
        click.echo(f"warning: {shown(problem)}", err=True)
    for field, ids in summary.unknown.items():
        listed = ", ".join(ids[:8]) + (f" … and {len(ids) - 8} more" if len(ids) > 8 else "")
        click.echo(f"unknown {field} ({len(ids)}): {shown(listed)}")


@main.command()
@click.argument("query")
@click.option("--unit")
@click.option("--district")
@click.option("--year", type=int)
@click.option("--section", type=click.Choice(SECTIONS))
@click.option("--limit", default=20, show_default=True, help="Hits to show; 0 means all.")
@click.option("--sort", type=click.Choice(["relevance", "unit", "year"]), default="relevance")
@index_option
@json_option
def search(query, unit, district, year, section, limit, sort, index_dir, as_json) -> None:
    """Search paragraphs: "quoted phrases" are exact, other words are ranked jieba words."""
    filters = Filters(unit=unit, district=district, year=year, section=section)
    with _open(index_dir) as idx:
        try:
            result = idx.search(query, filters, limit=limit, sort=sort)
        except FazhiError as exc:
            raise click.ClickException(str(exc)) from exc
        reports = {m.id: m for m in idx.reports()}
    if as_json:
        dump_json(result.to_dict())
        return
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(f"{result.total} paragraphs match {shown(repr(query))}")
    for hit in result.hits:
        where = shown(f"{hit.unit or '?'} {hit.year or '?'} [{hit.section}] ¶{hit.paragraph}")
        text = mark_spans(hit.text, hit.highlights, bold=True, fg="red")
        click.echo(f"\n{shown(hit.report)} · {where}\n  {text}")
    if result.by_year:
        spread = " · ".join(f"{y.year} {y.mentioning}/{y.reports}" for y in result.by_year)
        click.echo(f"\nReports mentioning it, by year: {spread}")
    if result.missing:
        names = [f"{reports[r].unit or r} {reports[r].year or ''}".strip() for r in result.missing]
        click.echo(f"\nNot mentioned in {len(names)} report(s): {shown('; '.join(names))}")


@main.command()
@click.argument("report")
@click.argument("paragraph", type=int)
@click.option("--limit", default=10, show_default=True, help="Passages to show.")
@index_option
@json_option
def similar(report: str, paragraph: int, limit: int, index_dir: Path, as_json: bool) -> None:
    """Passages of other reports most like paragraph PARAGRAPH of REPORT, best first."""
    with _open(index_dir) as idx:
        try:
            result = idx.similar(report, paragraph, limit=limit)
        except FazhiError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        dump_json(result.to_dict())
        return
    src = result.source
    click.echo(f"{src.unit or '?'} {src.year or '?'} ¶{src.paragraph}: {src.text[:80]}")
    click.echo(f"key words: {'、'.join(result.terms[:12]) or '-'}")
    for hit in result.hits:
        where = f"{hit.unit or '?'} {hit.year or '?'} [{hit.section}] ¶{hit.paragraph}"
        text = mark_spans(hit.text, hit.highlights, bold=True, fg="red")
        click.echo(f"\n{hit.score:6.2f}  {hit.report} · {where}\n  {text}")


@main.command()
@index_option
@json_option
def reports(index_dir: Path, as_json: bool) -> None:
    """List the indexed reports with unit, district, year and date (null when unknown)."""
    with _open(index_dir) as idx:
        metas = idx.reports()
    if as_json:
        dump_json([m.to_dict() for m in metas])
        return
    for m in metas:
        fields = (m.id, m.unit or "-", m.district or "-", m.year or "-", m.date or "-")
        tail = (f"{m.paragraphs}¶", m.file)
        click.echo("\t".join(shown(f).replace("\t", " ") for f in (*fields, *tail)))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl")
@index_option
def export(fmt: str, index_dir: Path) -> None:
    """Every paragraph as one JSON object per line (the fields of a search hit)."""
    with _open(index_dir) as idx:
        for report in idx.all_reports():
            for p in report.paragraphs:
                row = Hit.of(report.meta, p).to_dict()
                del row["highlights"]
                click.echo(json.dumps(row, ensure_ascii=False))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@index_option
def serve(host: str, port: int, index_dir: Path) -> None:
    """Serve the web UI over the index (waitress); prints the address it listens on."""
    from webui.server import run  # the web stack loads only for this command

    _open(index_dir).close()
    try:
        run(index_dir=index_dir, host=host, port=port)
    except OSError as exc:
        raise click.ClickException(describe_listen_error(exc, host, port)) from exc


register_compare(main)
main.add_command(audit_cmd)
