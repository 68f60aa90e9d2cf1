"""``fazhi audit``: the report audit table, thin over ``indexer.compare.audit``."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import click

from ..compare import audit as core
from ..compare import audit_select as selecting
from ..errors import FazhiError
from ..model import SECTION_LABELS, SECTIONS
from ..query import open_index
from .common import dump_json, index_option, json_option

MARK = {"heading": "✓", "text": "~", None: "✗"}


def _pad(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` terminal columns (CJK characters take two)."""
    out, used = "", 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out + " " * (width - used)


@click.command("audit")
@click.option("--unit", help="Only units whose name contains this.")
@click.option("--district")
@click.option("--year", type=int)
@click.option("--missing", type=click.Choice(SECTIONS), help="Only reports lacking this part.")
@click.option("--on-time", "on_time", type=click.Choice(core.ON_TIME))
@click.option(
    "--sort",
    default="unit",
    show_default=True,
    help=f"Column to sort by, '-' first to descend: {', '.join(selecting.SORT_KEYS)}.",
)
@index_option
@json_option
def audit_cmd(unit, district, year, missing, on_time, sort, index_dir: Path, as_json) -> None:
    """Per report: statutory parts present, published on time, length, figures, reuse."""
    where = selecting.AuditFilter(unit, district, year, missing, on_time)
    try:
        with open_index(index_dir) as idx:
            rows = selecting.select(core.audit(idx), where, sort)
    except FazhiError as exc:
        raise click.ClickException(str(exc)) from exc
    except ValueError as exc:
        raise click.ClickException(f"{exc}\nHint: e.g. --sort -figures") from exc
    if as_json:
        dump_json([r.to_dict() for r in rows])
        return
    parts = " ".join(SECTION_LABELS[s][:2] for s in SECTIONS)
    click.echo(f"{_pad('report', 36)} {'year':>4} {parts}  on-time  date        chars figs  prev%")
    for r in rows:
        marks = "   ".join(MARK[p.how if p else None] for p in r.parts.values())
        click.echo(
            f"{_pad(r.report.id, 36)} {r.report.year or '?':>4} {marks}    "
            f"{r.on_time:<7}  {r.report.date or '-':<10} {r.chars:>6} {r.figures:>4} "
            f"{100 * r.reuse.get('previous_year', 0):>5.1f}"
        )
    click.echo(f"\n{len(rows)} report(s). ✓ heading  ~ in the text only  ✗ missing")
