"""Process lifetime during a build: SIGTERM behaves like Ctrl-C, workers die with us.

A build interrupted by Ctrl-C cancels its writer and discards the new generation, so
the previous index stays live.  ``kill`` (SIGTERM, what service managers and ``timeout``
send) and a closed terminal (SIGHUP) deserve the same clean path.  ``kill -9`` cannot be
caught, so the writer's worker processes ask the kernel to kill them when their parent
dies (``PR_SET_PDEATHSIG`` on Linux; a watcher thread that polls the parent elsewhere)
instead of waiting forever on a queue nobody will fill.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
POLL_SECONDS = 1.0


def _raise_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"stopped by signal {signal.Signals(signum).name}")


@contextmanager
def signals_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise KeyboardInterrupt as Ctrl-C does.

    Only the main thread may install handlers; elsewhere the block changes nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    old = {sig: signal.signal(sig, _raise_interrupt) for sig in wanted}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def die_with_parent(parent_pid: int) -> None:
    """Call first thing in a child process: it ends when ``parent_pid`` does.

    A forked child inherits the parent's handlers; it must not turn the parent's
    ``terminate()`` into a KeyboardInterrupt of its own (that hangs in queue cleanup),
    nor act on the Ctrl-C its parent already handles for it.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os._exit(1)


def die_with_ancestor(pid: int) -> None:
    """In a process that ``pid`` started through another (a fork server's child): end
    when ``pid`` does.  The kernel signals only a parent's death, so a thread polls."""
    if not _exists(pid):
        os._exit(1)
    threading.Thread(target=_watch_ancestor, args=(pid,), daemon=True).start()


def _watch_ancestor(pid: int) -> None:
    while _exists(pid):
        time.sleep(POLL_SECONDS)
    os._exit(1)


def _exists(pid: int) -> bool:
    """Whether ``pid`` runs: a killed process its parent has not reaped yet (a zombie)
    does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's (the pid was reused)
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc: the signal test is all there is
        return True
