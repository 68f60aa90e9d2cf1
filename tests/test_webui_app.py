"""The factory, the per-request index handle and the server entry point."""

from __future__ import annotations

import pytest

import webui.db
from webui import create_app
from webui.server import main as server_main


def test_config_is_injected(built_index):
    app = create_app({"INDEX_DIR": str(built_index), "PAGE_SIZE": 7})
    assert app.config["INDEX_DIR"] == str(built_index)
    assert app.config["PAGE_SIZE"] == 7
    assert create_app().config["INDEX_DIR"] == "index"
    assert "htmx" in app.extensions


def test_apps_are_independent(built_index, tmp_path):
    good = create_app({"INDEX_DIR": str(built_index)}).test_client()
    bad = create_app({"INDEX_DIR": str(tmp_path)}).test_client()
    assert good.get("/").status_code == 200
    assert bad.get("/").status_code == 503
    assert good.get("/").status_code == 200


def test_index_is_opened_per_request_and_closed_at_teardown(monkeypatch, built_index):
    from indexer.query import open_index

    events: list[str] = []

    class Tracked:
        def __init__(self, path, cache=None):
            self.idx = open_index(path, cache)

        def __enter__(self):
            events.append("open")
            return self.idx

        def __exit__(self, *exc):
            events.append("close")
            self.idx.close()

    monkeypatch.setattr(webui.db, "open_index", Tracked)
    client = create_app({"INDEX_DIR": str(built_index)}).test_client()
    client.get("/?q=法治")
    client.get("/reports/no-such-id")  # closed even when the view aborts
    client.get("/static/style.css").close()  # static files never open it
    assert events == ["open", "close", "open", "close"]


def test_vary_on_every_response(client):
    for path in ("/", "/?q=法治", "/reports", "/nowhere"):
        assert "HX-Request" in client.get(path).headers["Vary"]


def test_server_main_passes_options(monkeypatch):
    seen = {}
    monkeypatch.setattr("webui.server.run", lambda *a: seen.setdefault("args", a), raising=True)
    server_main(["--index", "idx", "--corpus", "c", "--host", "0.0.0.0", "--port", "8123"])
    assert seen["args"] == ("idx", "c", "0.0.0.0", 8123)


def test_server_binds_before_it_announces_and_serves(built_index):
    import threading
    import urllib.request

    import webui.server

    server = webui.server.make_server(built_index, "corpus", "127.0.0.1", free_port())
    (url,) = webui.server.bound_urls(server)
    assert url == f"http://127.0.0.1:{server.effective_port}/"
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(url + "reports", timeout=10) as response:
            assert response.status == 200
            assert "区协同办" in response.read().decode("utf-8")
    finally:
        server.close()
        thread.join(timeout=5)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("path", ["/static/htmx.min.js", "/static/style.css"])
def test_static_assets_are_vendored(client, path):
    r = client.get(path)
    assert r.status_code == 200
    r.close()


def test_non_ascii_hx_headers_are_percent_encoded(built_index):
    app = create_app({"INDEX_DIR": str(built_index)})

    @app.get("/_probe")
    def probe():
        return "ok", 200, {"HX-Trigger": "已更新", "HX-Push-Url": "/?q=公职 律师"}

    r = app.test_client().get("/_probe")
    assert r.headers["HX-Trigger"] == "%E5%B7%B2%E6%9B%B4%E6%96%B0"
    assert r.headers["HX-Push-Url"] == "/?q=%E5%85%AC%E8%81%8C%20%E5%BE%8B%E5%B8%88"
