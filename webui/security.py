"""Response headers every page gets: CSP, caching hints, safe HX-* headers.

The CSP forbids inline script and style, so the UI cannot be turned into a script
host by report text that slipped through escaping, and no template may rely on
``onclick`` or ``style=""``.  htmx is configured by a JSON meta tag with eval off.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, Response

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# Characters left as they are when percent-encoding an HX-* header value: printable ASCII.
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))


def ascii_header(value: str) -> str:
    """Percent-encode (UTF-8) whatever is not printable ASCII; HTTP headers are Latin-1."""
    return value if value.isascii() and value.isprintable() else quote(value, safe=_SAFE)


def secure_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    # One URL serves a full page or an htmx fragment: caches must key on HX-Request.
    response.vary.add("HX-Request")
    for name, value in list(response.headers.items()):
        if name.lower().startswith("hx-"):
            response.headers[name] = ascii_header(value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
