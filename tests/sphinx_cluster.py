"""A real local searchd cluster for tests, driven through ``scripts/cluster.sh``."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "cluster.sh"


def require_searchd() -> None:
    if shutil.which("searchd") is None:
        pytest.skip("searchd not installed (scripts/test.sh installs sphinxsearch)")


class LocalCluster:
    def __init__(self, home: Path, shards: int = 2, mirrors: int = 2) -> None:
        self.home = home
        out = self.run("start", "--shards", str(shards), "--mirrors", str(mirrors))
        self.url = out.strip().splitlines()[-1]

    def run(self, action: str, *args: str) -> str:
        done = subprocess.run(
            ["bash", str(SCRIPT), action, str(self.home), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def status(self) -> list[dict]:
        lines = self.run("status").strip().splitlines()
        assert lines[0].split() == ["NAME", "PID", "PORT", "ROLE"]
        return [
            dict(zip(("name", "pid", "port", "role"), line.split(), strict=True))
            for line in lines[1:]
        ]

    def kill(self, name: str) -> None:
        """``kill -9`` one node, as a crash would."""
        (node,) = [n for n in self.status() if n["name"] == name]
        pid = int(node["pid"])
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):  # not our child (searchd daemonises): wait until it is gone
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.05)

    def restart(self, name: str) -> None:
        self.run("restart-node", name)

    def stop(self) -> None:
        self.run("stop")
