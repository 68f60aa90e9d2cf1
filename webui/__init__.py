"""Fazhi Index web UI: a read-only Flask app, thin over ``indexer``.

``create_app`` is a factory (as in the Flask tutorial) so tests and the server each
build their own app with the index directory injected; no app or index lives at
module level.  All search and comparison logic stays in ``indexer``.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from htmx_flask import Htmx


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR="index",
        CORPUS_DIR="corpus",
        PAGE_SIZE=20,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # readable Chinese in /api
    Htmx(app)

    from . import db, errors, pagecache, render, security
    from .views import audit, compare, reports, search, similar

    db.init_app(app)
    errors.init_app(app)
    render.init_app(app)
    security.init_app(app)
    pagecache.init_app(app)  # after security: pages are kept with their headers
    app.register_blueprint(search.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(compare.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(similar.bp)
    return app
