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


# C0 controls but tab and newline → their visible pictures (␛ for ESC); DEL → ␡; C1
# controls and bidirectional overrides (which reorder what a terminal shows) → U+FFFD.
# One character for one, so highlight offsets into the text stay right.
_SHOWN = {c: 0x2400 + c for c in range(32) if chr(c) not in "\t\n"}
_SHOWN |= {0x7F: 0x2421}
_SHOWN |= {c: 0xFFFD for c in [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def shown(value: object) -> str:
    """Text from a report, safe to write to a terminal: report text may carry
    ``ESC[2J`` or ``ESC]0;title BEL``, which would clear the screen or retitle the
    window.  Only for text output; ``--json`` stays exact."""
    return "" if value is None else str(value).translate(_SHOWN)


def mark_spans(text: str, spans, **style) -> str:
    """``text`` (made safe by ``shown``) with each span styled for the terminal."""
    text = shown(text)
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        marked = click.style(text[span.start : span.end], **style)
        text = text[: span.start] + marked + text[span.end :]
    return text
