"""Per-file metadata a person (``reports.toml``) or a crawler (``reports.csv``) states.

A manifest is hand-typed or machine-written, so every value is checked before it can
mislabel a report: a wrong type, an unknown key (a typo such as ``distrct``), an id that
would not make a safe permalink, a year outside any plausible range, or an entry naming
no file is *reported* by file, entry and key — and that one value is dropped, never the
build.  Only a file that is not TOML / CSV at all stops the build (``ManifestError``).

``reports.csv`` has the columns file, url, unit, district, year, date, title (any may be
empty: an empty cell says nothing).  Where both manifests state a key for one file,
``reports.toml`` wins: it is the hand-made correction of what a crawler wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOML_NAME = "reports.toml"
CSV_NAME = "reports.csv"
TEXT_KEYS = ("unit", "district", "title", "unit_key", "url")
KNOWN_KEYS = (*TEXT_KEYS, "year", "date", "id")
CSV_COLUMNS = ("file", "url", "unit", "district", "year", "date", "title")
FIRST_YEAR = 1949  # no 法治政府 report predates the People's Republic
MAX_ID_CHARS = 120
DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class ManifestError(ValueError):
    """A manifest that cannot be read at all; the message names the file and line."""


@dataclass
class Manifest:
    """Validated overrides by corpus-relative path, and what was wrong with the rest."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # rel → where it was first stated

    def get(self, rel: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.entries.get(rel, default if default is not None else {})

    def missing_files(self, corpus: Path) -> list[str]:
        """One message per entry that names no file in the corpus (a stale entry)."""
        if not self.sources:
            return []  # no manifest: no walk over the corpus
        present = {p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file()}
        return [
            f"{source}: names no file in the corpus"
            for rel, source in sorted(self.sources.items())
            if rel not in present
        ]


def _max_year() -> int:
    return dt.date.today().year + 1


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value) if not isinstance(value, dt.date) else value.isoformat()


def check_value(key: str, value: Any) -> tuple[Any, str | None]:
    """``(clean value, None)`` or ``(None, "expected …, got …")`` for one manifest key."""
    if key == "year":
        if isinstance(value, bool):
            return None, f"expected a year, got {_shown(value)}"
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int):
            return None, f"expected a year, got {_shown(value)}"
        if not FIRST_YEAR <= value <= _max_year():
            return None, f"expected a year between {FIRST_YEAR} and {_max_year()}, got {value}"
        return value, None
    if key == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat(), None
        m = DATE_TEXT.match(value) if isinstance(value, str) else None
        if m:
            try:
                return dt.date(*map(int, m.groups())).isoformat(), None
            except ValueError:
                pass
        return None, f"expected a date such as 2024-03-28, got {_shown(value)}"
    if key == "id":
        if not isinstance(value, str) or not value.strip():
            return None, f"expected an id (text), got {_shown(value)}"
        value = value.strip()
        if re.search(r"[/\\?#%\x00-\x1f]", value) or value in (".", ".."):
            return None, f'an id cannot contain / \\ ? # % or control characters, got "{value}"'
        if len(value) > MAX_ID_CHARS:
            return None, f"an id is at most {MAX_ID_CHARS} characters, got {len(value)}"
        return value, None
    if key == "url" and isinstance(value, str) and value.strip():
        if not re.match(r"^https?://[^\s/]+", value.strip()):
            return None, f'expected a web address (http:// or https://), got "{value}"'
        return value.strip(), None
    if key in TEXT_KEYS:
        if not isinstance(value, str):
            return None, f"expected text, got {_shown(value)}"
        return (value.strip() or None), None
    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return None, f"unknown key{hint}; known keys: {', '.join(KNOWN_KEYS)}"


def _norm_file(name: str) -> str:
    name = name.strip().replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return name


def _check_entry(where: str, raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for key, value in raw.items():
        clean, problem = check_value(str(key), value)
        if problem:
            problems.append(f"{where} {key}: {problem}")
        elif clean is not None:
            entry[str(key)] = clean
    return entry


def _read_toml(path: Path, manifest: Manifest) -> dict[str, tuple[str, dict]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{path}: {exc}") from exc
    found: dict[str, tuple[str, dict]] = {}
    for name, raw in data.items():
        if not isinstance(raw, dict):
            manifest.problems.append(
                f'{TOML_NAME}: {name} = {_shown(raw)} is not a ["file"] table; '
                f'put it under the file it describes, e.g. ["{name}.txt"]'
            )
            continue
        rel = _norm_file(name)
        where = f"{TOML_NAME}: [{name}]"
        found[rel] = (where, _check_entry(where, raw, manifest.problems))
    return found


def _read_csv(path: Path, manifest: Manifest) -> dict[str, tuple[str, dict]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ManifestError(f"{path}: not UTF-8 or GB18030 text")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ManifestError(f"{path}: {exc}") from exc
    if not rows:
        return {}
    header = [h.strip().lower() for h in rows[0]]
    if "file" not in header:
        raise ManifestError(f"{path}: the first row must name the columns, one of them 'file'")
    for column in header:
        if column not in CSV_COLUMNS:
            close = difflib.get_close_matches(column, CSV_COLUMNS, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            manifest.problems.append(
                f"{CSV_NAME}: unknown column {column!r}{hint}; known: {', '.join(CSV_COLUMNS)}"
            )
    found: dict[str, tuple[str, dict]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row, strict=False))
        rel = _norm_file(cells.pop("file", ""))
        where = f"{CSV_NAME}:{line} [{rel}]"
        if not rel:
            manifest.problems.append(f"{CSV_NAME}:{line}: the row names no file")
            continue
        if rel in found:
            manifest.problems.append(f"{where}: file listed again (first at {found[rel][0]})")
            continue
        raw = {k: v for k, v in cells.items() if k in CSV_COLUMNS and v.strip()}
        found[rel] = (where, _check_entry(where, raw, manifest.problems))
    return found


def load_manifest(corpus: Path) -> Manifest:
    """Both manifests of ``corpus``, validated; ``reports.toml`` wins key by key."""
    manifest = Manifest()
    csv_path, toml_path = corpus / CSV_NAME, corpus / TOML_NAME
    layers = []
    if csv_path.is_file():
        layers.append(_read_csv(csv_path, manifest))
    if toml_path.is_file():
        layers.append(_read_toml(toml_path, manifest))
    for layer in layers:
        for rel, (where, entry) in layer.items():
            manifest.entries.setdefault(rel, {}).update(entry)
            manifest.sources.setdefault(rel, where)
    owners: dict[str, str] = {}
    for rel, entry in manifest.entries.items():
        report_id = entry.get("id")
        if report_id is None:
            continue
        if report_id in owners:
            manifest.problems.append(
                f'{manifest.sources[rel]} id: "{report_id}" is already the id of '
                f"[{owners[report_id]}]; ids must be unique (this one is ignored)"
            )
            del entry["id"]
        else:
            owners[report_id] = rel
    return manifest
