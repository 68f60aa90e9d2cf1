"""Every error path maps to a page by type, and no query string produces a 500."""

from __future__ import annotations

import pytest

from webui import create_app


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"q": '"公职律师'}, "引号不成对"),
        ({"q": "(公职 OR 律师"}, "括号不成对"),
        ({"q": "x" * 5000}, "过长"),
        ({"q": "法治", "year": "20x2"}, "年份"),
        ({"q": "法治", "year": "99999"}, "年份"),
        ({"q": "法治", "page": "0"}, "页码"),
        ({"q": "法治", "page": "abc"}, "页码"),
        ({"q": "法治", "page": "9" * 40}, "页码"),
        ({"q": "法治", "sort": "random"}, "排序"),
        ({"q": "法治", "section": "nonsense"}, "部分"),
        ({"q": "法治\x00"}, "非法字符"),
    ],
)
def test_bad_input_is_a_400_page_with_a_message(client, query, needle):
    r = client.get("/", query_string=query)
    assert r.status_code == 400
    html = text(r)
    assert needle in html
    assert html.startswith("<!doctype html>")
    assert '<form class="search"' in html  # the query can be fixed in place


def test_bad_input_in_htmx_gets_the_error_fragment(htmx_client):
    r = htmx_client.get("/", query_string={"q": '"公职'})
    assert r.status_code == 400
    assert "<html" not in text(r) and 'role="alert"' in text(r)


@pytest.mark.parametrize(
    "raw",
    [
        "q=%ff%fe",
        "q=%E5%85",
        "q=a&q=b&year=",
        "q=%22%22",
        "q=()",
        "q=AND",
        "q=NOT%20NOT",
        "q=*",
        "q=%3Cscript%3E",
        "q=a%20OR",
        "q=%EF%BC%88%E5%85%AC",
        "year=2022&unit=%00",
        "q=x&limit=-1",
        "&&&==&",
        "q=" + "%E6%B3%95" * 3000,
    ],
)
def test_malformed_query_strings_never_500(client, raw):
    for path in ("/", "/api/search", "/export.csv", "/reports/西青区-区协同办-2022"):
        r = client.get(f"{path}?{raw}")
        assert r.status_code in (200, 400), (path, raw, r.status_code)


def test_api_errors_are_json(client):
    r = client.get("/api/search", query_string={"q": '"公职'})
    assert r.status_code == 400 and r.is_json
    assert "引号" in r.get_json()["message"]
    r = client.get("/api/search", query_string={"q": "法治", "limit": "abc"})
    assert r.status_code == 400 and r.get_json()["status"] == 400
    assert client.get("/api/search").status_code == 400


def test_unknown_report_is_a_404_page(client, htmx_client):
    r = client.get("/reports/no-such-report")
    assert r.status_code == 404
    assert "404" in text(r) and "<html" in text(r)
    r = htmx_client.get("/reports/no-such-report")
    assert r.status_code == 404 and "<html" not in text(r)


def test_unknown_path_is_a_404_page(client):
    r = client.get("/nowhere")
    assert r.status_code == 404 and "未找到" in text(r)


@pytest.mark.parametrize("path", ["/", "/api/search", "/reports/x", "/export.csv"])
def test_read_only(client, path):
    for method in (client.post, client.put, client.delete, client.patch):
        r = method(path)
        assert r.status_code == 405
        assert "只读" in text(r)


def test_missing_index_is_a_503_with_a_hint(tmp_path):
    app = create_app({"INDEX_DIR": str(tmp_path / "none"), "CORPUS_DIR": "corpus"})
    client = app.test_client()
    r = client.get("/")
    assert r.status_code == 503
    assert f"fazhi index corpus --index {tmp_path / 'none'}" in text(r)
    r = client.get("/api/search?q=x")
    assert r.status_code == 503 and "hint" in r.get_json()
    r = client.get("/", headers={"HX-Request": "true"})
    assert r.status_code == 503 and "<html" not in text(r)
