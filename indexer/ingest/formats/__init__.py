"""One module per published format, each turning a file's bytes into report text.

Every reader returns the same thing, an ``Extracted``: the report as lines (one
paragraph per line, exactly as a clean .txt of the same report would hold it), the
format it was read as, and *hints* — what the container says about the report
beside its text (an HTML page's ``ArticleTitle``/``PubDate``/``ContentSource``
meta tags, its canonical URL).  Hints never beat the text: the metadata step uses
them only where the text is silent.  A reader that cannot produce report text
raises ``UnreadableFile`` with a reason the user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class UnreadableFile(Exception):
    """A file that cannot become report text; ``str(exc)`` is the reason shown to the user."""


@dataclass
class Extracted:
    """Report text read from one file, one paragraph per line."""

    text: str
    format: str
    encoding: str = ""
    hints: dict[str, str] = field(default_factory=dict)


def looks_like_report(text: str) -> bool:
    """At least a little Chinese and not mostly control characters."""
    if not text.strip():
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f\v")
    if controls > max(2, len(text) // 200):
        return False
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 2


def require_report_text(text: str, what: str) -> str:
    if not looks_like_report(text):
        raise UnreadableFile(f"{what} holds no Chinese report text")
    return text
