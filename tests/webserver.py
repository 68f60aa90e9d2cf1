"""A real ``fazhi`` web server on a free port, for the browser tests (one way to start it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(index_dir: Path, log_dir: Path, timeout: float = 60) -> Iterator[str]:
    """Serve ``index_dir`` with ``python -m webui.server``; yield its base URL once it answers.

    The server's output goes to ``log_dir/server.log`` and is shown if it fails to start."""
    port = free_port()
    log_path = log_dir / "server.log"
    cmd = [sys.executable, "-m", "webui.server", "--index", str(index_dir), "--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ)
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/static/style.css", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                pytest.fail(f"server did not start: {log_path.read_text(errors='replace')}")
            time.sleep(0.1)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
