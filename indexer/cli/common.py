"""Options and output helpers shared by every ``fazhi`` command module."""

from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_INDEX = "index"
index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX,
    envvar="FAZHI_INDEX",
    show_default=True,
    help="Index directory (or set FAZHI_INDEX).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def dump_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def mark_spans(text: str, spans, **style) -> str:
    """``text`` with each span styled for the terminal (e.g. the hits of a search)."""
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        marked = click.style(text[span.start : span.end], **style)
        text = text[: span.start] + marked + text[span.end :]
    return text
