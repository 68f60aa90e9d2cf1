"""Generate a larger, realistic corpus from the seed reports (a benchmark input, not a test).

Each generated report keeps a seed's structure (title, opening, numbered parts,
closing) but gets another unit and district, another year, figures varied, and body
paragraphs recombined with same-section paragraphs of the other seeds — so term
statistics, paragraph lengths and section mixes stay those of real reports.

    python bench/gen_corpus.py OUT_DIR N_PARAGRAPHS
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from indexer.ingest.read import corpus_files, read_report_text
from indexer.ingest.reports import parse_report

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
DISTRICTS = [
    "和平区",
    "河东区",
    "河西区",
    "南开区",
    "河北区",
    "红桥区",
    "东丽区",
    "西青区",
    "津南区",
    "北辰区",
    "武清区",
    "宝坻区",
    "宁河区",
    "静海区",
    "蓟州区",
    "滨海新区",
]
UNITS = [
    "司法局",
    "教育局",
    "市场监管局",
    "应急管理局",
    "人社局",
    "卫健局",
    "民政局",
    "财政局",
    "生态环境局",
    "住建委",
    "交通运输局",
    "农业农村委",
    "商务局",
    "文旅局",
    "政府办公室",
    "协同办",
    "合作交流办",
    "城管委",
    "水务局",
    "统计局",
    "万兴街",
    "体育中心街",
    "王顶堤街",
    "华苑街",
    "学府街",
    "向阳路街",
    "嘉陵道街",
    "长虹街",
    "鼓楼街",
    "兴南街",
]
SEED_UNITS = ["区协同办", "南开区合作交流办", "万兴街", "区政府办公室", "区政府办", "合作交流办"]


def _seed_reports():
    reports = []
    for path in corpus_files(SEEDS):
        reports.append(parse_report(read_report_text(path).text, path.name))
    return reports


def _vary_numbers(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        value = int(m.group(0))
        if 1990 <= value <= 2030:
            return m.group(0)
        return str(max(1, int(value * rng.uniform(0.5, 1.6))))

    return re.sub(r"\d+", repl, text)


def generate(
    out_dir: Path,
    n_paragraphs: int,
    seed: int = 7,
    body: int | None = None,
    reports: int | None = None,
) -> int:
    """Write reports into ``out_dir`` until about ``n_paragraphs`` paragraphs; returns the count.

    ``body`` keeps at most that many body paragraphs per report: many short reports,
    for tests that need a province's number of reports at a small index's cost;
    ``reports`` stops after that many reports, whatever the paragraph count.
    """
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    seeds = _seed_reports()
    pool: dict[str, list[str]] = {}
    for report in seeds:
        for p in report.paragraphs:
            if p.kind == "body":
                pool.setdefault(p.section, []).append(p.text)
    written = 0
    number = 0
    while written < n_paragraphs and (reports is None or number < reports):
        template = rng.choice(seeds)
        district, unit = rng.choice(DISTRICTS), rng.choice(UNITS)
        year = rng.randint(2019, 2024)
        old_year = template.meta.year or 2022
        lines = []
        bodies = 0
        for p in template.paragraphs:
            if p.kind == "body" and body is not None:
                bodies += 1
                if bodies > body:
                    continue
            text = p.text
            if p.kind == "body" and rng.random() < 0.5 and pool.get(p.section):
                text = rng.choice(pool[p.section])
            for name in SEED_UNITS:
                text = text.replace(name, unit)
            text = text.replace(str(old_year + 1), str(year + 1)).replace(str(old_year), str(year))
            lines.append(_vary_numbers(text, rng) if p.kind == "body" else text)
            if p.kind == "body" and rng.random() < 0.15 and pool.get(p.section):
                lines.append(_vary_numbers(rng.choice(pool[p.section]), rng))
        if template.paragraphs[0].kind != "title":
            lines.insert(0, f"{district}{unit}{year}年法治政府建设年度报告")
        number += 1
        path = out_dir / f"r{number:06d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written += len(lines)
    return written


if __name__ == "__main__":
    count = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{count} paragraphs written to {sys.argv[1]}")
