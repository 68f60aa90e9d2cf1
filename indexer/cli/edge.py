"""Where every ``fazhi`` command meets the user: errors become one line, never a traceback.

Commands map the errors they expect themselves; this group catches what can reach any
of them — a ``FazhiError`` (damaged index, lock refused) and the operating system's
refusals (disk full, read-only folder, ``--index`` naming a file) — and states each in
one line with what to do, by type and errno, never by catching ``Exception``.
"""

from __future__ import annotations

import errno
import os
import socket
import sys

import click

from ..errors import FazhiError

ERRNO_HINTS = {
    errno.ENOSPC: "the disk is full; free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up; free some space and run the command again",
    errno.EROFS: "the file system is read-only; pass --index a writable folder",
    errno.EACCES: "permission denied; pass --index a folder you may write to",
    errno.EPERM: "operation not permitted; pass --index a folder you may write to",
    errno.ENOTDIR: "a part of the path is a file, not a folder; pass --index a folder",
    errno.EISDIR: "a folder stands where a file was expected",
    errno.ENAMETOOLONG: "the path is too long",
}


def describe_os_error(exc: OSError) -> str:
    """``cannot write /x/y: No space left on device — the disk is full; …``"""
    where = exc.filename if exc.filename is not None else ""
    reason = exc.strerror or type(exc).__name__
    hint = ERRNO_HINTS.get(exc.errno or 0)
    text = f"{where}: {reason}" if where else reason
    return f"{text} — {hint}" if hint else text


def describe_listen_error(exc: OSError, host: str, port: int) -> str:
    """Why ``fazhi serve`` cannot listen on ``host:port``, and what to do."""
    if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"cannot listen on host {host!r}: {exc.strerror or exc} — pass --host an address "
            "of this machine, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every network)"
        )
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} on {host} is already in use — pick another with --port"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"not allowed to listen on port {port} — ports below 1024 need privileges"
    return f"cannot listen on {host}:{port}: {describe_os_error(exc)}"


class FazhiGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FazhiError as exc:
            raise click.ClickException(str(exc)) from exc
        except BrokenPipeError:  # `fazhi export | head`: the reader has had enough
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except OSError as exc:
            raise click.ClickException(describe_os_error(exc)) from exc
