"""Serve the web UI with waitress (``python -m webui.server --index DIR --port N``).

``run`` is what ``fazhi serve`` imports lazily, so the CLI never imports Flask unless
a server is actually wanted.  waitress is a production WSGI server with no C build,
which suits a read-only tool that people run on their own machine.  The server is
created (and its socket bound) before anything is announced, so the address printed
is the one actually listening, and a busy port or a bad host fails before it.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from waitress.server import create_server

from . import create_app, memory
from .db import warm_up

THREADS = 8  # request handlers; the GIL-bound work is short, so more threads add queueing


def make_server(
    index_dir: str | Path,
    corpus_dir: str | Path = "corpus",
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = THREADS,
):
    """A bound, not yet running waitress server; raises OSError if it cannot listen.

    The host is resolved first: waitress reports an unknown one as a bare ValueError.
    """
    socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir)})
    server = create_server(app, host=host, port=port, threads=threads, ident="fazhi-index")
    server.fazhi_app = app  # waitress may wrap ``application``: the Flask app, for warm_up
    return server


def bound_urls(server) -> list[str]:
    """``http://host:port/`` for every socket the server listens on."""
    listening = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    urls = []
    for host, port in listening:
        shown = f"[{host}]" if ":" in str(host) else host
        urls.append(f"http://{shown}:{port}/")
    return urls


def run(
    index_dir: str | Path,
    corpus_dir: str | Path = "corpus",
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = THREADS,
) -> None:
    """Block serving the app for ``index_dir`` on ``host:port`` until interrupted."""
    memory.limit_arenas()  # before the request threads exist (``webui.memory``)
    server = make_server(index_dir, corpus_dir, host, port, threads)
    urls = "  ".join(bound_urls(server))
    print(f"loading {index_dir} …", file=sys.stderr, flush=True)
    warm_up(server.fazhi_app)  # 1–2 s at 300k paragraphs; then first requests only search
    print(f"法治指数 web UI: {urls}  (index: {index_dir})", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m webui.server", description=__doc__)
    parser.add_argument("--index", default="index", help="index directory (default: index)")
    parser.add_argument("--corpus", default="corpus", help="corpus directory, for hints")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    run(args.index, args.corpus, args.host, args.port)


if __name__ == "__main__":
    main()
