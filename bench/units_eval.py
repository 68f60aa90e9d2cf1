"""Units, districts and years read from the real openings in tests/data/openings/.

Prints each opening that is wrong and the share right per field, beside the share a
"take the title's first words" baseline would get.  Run: python bench/units_eval.py
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from indexer.compare.units import unit_name  # noqa: E402
from indexer.ingest.reports import parse_report  # noqa: E402

DATA = ROOT / "tests" / "data"


def cases() -> list[tuple[str, dict, str]]:
    truth = tomllib.loads((DATA / "openings.toml").read_text("utf-8"))
    return [(name, t, (DATA / "openings" / name).read_text("utf-8")) for name, t in truth.items()]


def same_unit(got: str | None, want: str | None, district: str | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return unit_name(got, district) == unit_name(want, district)


def main() -> None:
    rows = cases()
    right = {"unit": 0, "district": 0, "year": 0}
    for name, t, text in rows:
        meta = parse_report(text, name).meta
        ok = {
            "unit": same_unit(meta.unit, t.get("unit"), t.get("district")),
            "district": meta.district == t.get("district"),
            "year": meta.year == t.get("year"),
        }
        for k, v in ok.items():
            right[k] += v
        if not all(ok.values()):
            print(
                f"{name}: unit {meta.unit!r} (want {t.get('unit')!r}) district "
                f"{meta.district!r} (want {t.get('district')!r}) year {meta.year} ({t.get('year')})"
            )
    n = len(rows)
    for k, v in right.items():
        print(f"{k:<9} {v}/{n} right ({100 * v / n:.1f}%)")
    both = sum(
        same_unit(parse_report(x, nm).meta.unit, t.get("unit"), t.get("district"))
        and parse_report(x, nm).meta.district == t.get("district")
        for nm, t, x in rows
    )
    print(f"unit and district both right: {both}/{n} ({100 * both / n:.1f}%)")


if __name__ == "__main__":
    main()
