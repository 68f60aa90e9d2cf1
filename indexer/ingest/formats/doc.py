"""Word 97–2003 (.doc) and WPS (.wps) reports.

First the file's own piece table (``word97.py``): exact, fast, and limited to the
main text, so headers, footers and their page numbers stay out.  What it cannot read
(Word 6/95, encrypted or damaged files, WPS files that are not Word streams) goes to
a Debian command-line reader: ``catdoc``, then ``antiword``, then LibreOffice's
headless converter where installed.  Their output is kept only if it is plausible
Chinese text — catdoc turns pure-Chinese 256-byte blocks into Latin-1 mojibake — and
lines that are only a page number are dropped (catdoc prints every story).  If no
reader can be used, the file is refused by name with the command that installs one:
a .doc is never skipped silently.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import Extracted, UnreadableFile, looks_like_report, word97
from .radicals import normalise_radicals
from .txt import PLAUSIBLE, plausibility

INSTALL = "apt-get install catdoc (or antiword, or libreoffice-writer-nogui)"
TIMEOUT = 120  # seconds; LibreOffice's first start is slow
LATIN1_MOJIBAKE = re.compile("[\x80-\x9f\xc0-\xff]")  # UTF-16 bytes read as Latin-1
PAGE_NUMBER = re.compile(
    r"^\s*([-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(\s*共\s*\d+\s*页)?)\s*$"
)


def _catdoc(path: Path, exe: str) -> str:
    return _run([exe, "-d", "utf-8", "-w", str(path)])


def _antiword(path: Path, exe: str) -> str:
    return _run([exe, "-m", "UTF-8.txt", "-w", "0", str(path)])


def _soffice(path: Path, exe: str) -> str:
    with tempfile.TemporaryDirectory(prefix="fazhi-doc-") as out:
        profile = Path(out) / "profile"
        _run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "txt:Text (encoded):UTF8",
                "--outdir",
                out,
                str(path),
            ]
        )
        produced = Path(out) / (path.stem + ".txt")
        if not produced.is_file():
            raise subprocess.CalledProcessError(1, exe, b"", b"no output")
        return produced.read_text(encoding="utf-8-sig", errors="replace")


READERS = (("catdoc", _catdoc), ("antiword", _antiword), ("soffice", _soffice))


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, cmd[0], done.stdout, done.stderr)
    return done.stdout.decode("utf-8", errors="replace")


def available() -> list[str]:
    return [name for name, _ in READERS if shutil.which(name)]


def extract(data: bytes) -> Extracted:
    tried: list[str] = []
    try:
        text = normalise_radicals(word97.main_text(data))
    except word97.NotWord97 as exc:
        tried.append(f"piece table: {exc}")
    else:
        if plausible(text):
            return Extracted(text, "doc", encoding="Word 97 pieces")
        tried.append("piece table: no Chinese text")
    with tempfile.NamedTemporaryFile(suffix=".doc", prefix="fazhi-") as tmp:
        tmp.write(data)
        tmp.flush()
        for name, read in READERS:
            exe = shutil.which(name)
            if exe is None:
                continue
            try:
                text = read(Path(tmp.name), exe)
            except subprocess.CalledProcessError as exc:
                tried.append(f"{name} failed ({_why(exc)})")
                continue
            except (subprocess.TimeoutExpired, OSError) as exc:
                tried.append(f"{name} failed ({type(exc).__name__})")
                continue
            text = _clean(text)
            if plausible(text):
                return Extracted(text, "doc", encoding=f"via {name}")
            tried.append(f"{name} found no Chinese text")
    if not any(shutil.which(name) for name, _ in READERS):
        raise UnreadableFile(
            f"a Word/WPS file this reader cannot read ({tried[0]}), and no other reader is "
            f"installed: {INSTALL}"
        )
    raise UnreadableFile("a Word 97/WPS file none of the readers could read: " + "; ".join(tried))


def plausible(text: str) -> bool:
    """Chinese report text, not catdoc's Latin-1 reading of UTF-16 blocks."""
    common = max(plausibility(text, "gb18030"), plausibility(text, "big5"))
    latin1 = any(len(LATIN1_MOJIBAKE.findall(line)) >= 2 for line in text.splitlines())
    return looks_like_report(text) and common >= PLAUSIBLE and not latin1


def _why(exc: subprocess.CalledProcessError) -> str:
    if exc.returncode < 0:
        return f"killed by signal {-exc.returncode}"
    message = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
    return message[0][:120] if message else f"exit {exc.returncode}"


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    lines = (line.strip() for line in text.split("\n"))
    kept = [line for line in lines if line and not PAGE_NUMBER.match(line)]
    return normalise_radicals("\n".join(kept))
