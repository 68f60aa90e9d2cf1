"""Shared by the blueprints: choose between a full page and an htmx fragment."""

from __future__ import annotations

from flask import Response, make_response, render_template, request


def wants_partial() -> bool:
    """htmx asked for a fragment — unless it is restoring history, which needs the page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page(page: str, partial: str, push_url: str | None = None, /, **context) -> Response:
    """Render ``partial`` for htmx swaps, else ``page`` (which includes the partial).

    ``push_url`` is the canonical URL of the state shown; htmx puts it in the address
    bar instead of the raw form URL (with its empty fields), so back/forward and
    bookmarks see the same URL the server would build.
    """
    if wants_partial():
        response = make_response(render_template(partial, partial_only=True, **context))
        if push_url is not None:
            response.headers["HX-Push-Url"] = push_url
        return response
    return make_response(render_template(page, partial_only=False, **context))
