"""Serve the web UI with waitress (``python -m webui.server --index DIR --port N``).

``run`` is what ``fazhi serve`` imports lazily, so the CLI never imports Flask unless
a server is actually wanted.  waitress is a production WSGI server with no C build,
which suits a read-only tool that people run on their own machine.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from waitress import serve

from . import create_app


def run(
    index_dir: str | Path,
    corpus_dir: str | Path = "corpus",
    host: str = "127.0.0.1",
    port: int = 8000,
    threads: int = 4,
) -> None:
    """Block serving the app for ``index_dir`` on ``host:port`` until interrupted."""
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus_dir)})
    print(f"法治指数 web UI: http://{host}:{port}/  (index: {index_dir})", flush=True)
    serve(app, host=host, port=port, threads=threads, ident="fazhi-index")


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
