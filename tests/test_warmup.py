"""A server loads the live generation before it serves (``webui.db.warm_up``)."""

from __future__ import annotations

from pathlib import Path

from indexer.query import open_index
from indexer.store import catalog
from webui import create_app
from webui.db import warm_up


def test_warm_up_loads_what_the_first_search_needs(built_index):
    app = create_app({"TESTING": True, "INDEX_DIR": str(built_index)})
    cache = app.extensions["fazhi_index_cache"]
    data = cache.get(catalog.current_generation(built_index))
    assert data._metas is None and not data.columns and not data.folded
    warm_up(app)
    assert data._metas is not None  # the report list
    assert {"report", "section"} <= set(data.columns)  # facet columns
    assert data.folded  # the folded text quoted phrases and bare words are checked on
    assert "report-table" in data._derived
    page = app.test_client().get("/?q=公职律师")
    assert page.status_code == 200
    with open_index(built_index) as idx:
        total = idx.search("公职律师").total
    assert f"<strong>{total}</strong> 段命中" in page.get_data(as_text=True)


def test_warm_up_without_an_index_leaves_the_message_to_the_request(tmp_path: Path):
    app = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")})
    warm_up(app)  # returns: the message is the request's to give
    page = app.test_client().get("/?q=公职律师")
    assert "fazhi index" in page.get_data(as_text=True)


def test_the_server_warms_the_app_it_serves(built_index):
    from webui.server import make_server

    server = make_server(built_index, port=0)
    try:
        app = server.fazhi_app
        warm_up(app)
        data = app.extensions["fazhi_index_cache"].get(catalog.current_generation(built_index))
        assert data._metas is not None and {"report", "section"} <= set(data.columns)
    finally:
        server.close()
