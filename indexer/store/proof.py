"""Matches proven by the index's own words, so the text need not be read for them.

A phrase or bare word is a substring of the folded text; its bigram bitmaps give
candidates and each candidate is verified on the text (~0.35 µs a paragraph, most of a
common term's search).  The jieba-word index already knows many matches for certain: a
paragraph in which jieba cut a word containing the phrase (法治政府建设 for 政府建设, or
the phrase itself: 习近平法治思想) holds the phrase — jieba cuts the same NFKC text the
folding starts from, a word holds no whitespace, and the indexed words are lowercased,
so only words (and phrases) without any cased character are used.  Reading a posting
costs a third of a verification, and only the candidates no word proves are verified.

The store's words of three characters or more are listed in ``lexicon.json`` beside the
segments at the end of every build (``write_lexicon``: the previous list plus the words
of the segments it did not cover yet, so an update lists only its new segment's words)
and read once per generation as one string, so the words containing a phrase are found
with ``str.find``.  The list may hold words no segment holds any more (a posting lookup
then finds nothing) and may miss some (a missing file proves nothing): either way the
matches stay exact, since every candidate not proven is verified.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from pathlib import Path

import numpy as np

from . import jsonio
from .postings import doc_frequency, word_docnums

MAX_WORDS = 64  # words whose postings make one proof: beyond, verifying is as cheap
# A word proves at most its postings, each saving a verification (~0.35 µs) for a read
# (~0.1 µs); looking a word up and opening its postings costs ~30 µs, so a word in
# fewer paragraphs than this saves less than it costs.
MIN_DOCS = 128
REMEMBERED = 1024  # phrases whose containing words a lexicon keeps


def uncased(text: str) -> bool:
    """No character that lowercasing or uppercasing would change."""
    return text.lower() == text == text.upper()


LEXICON_FILE = "lexicon.json"


class Lexicon:
    """Uncased jieba words of ≥ 3 characters, joined by newlines."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]]).tolist()
        self.joined = "\n".join(words)
        self._found: dict[tuple[str, int], list[str]] = {}

    def containing(self, phrase: str, limit: int = MAX_WORDS) -> list[str]:
        """Words that hold ``phrase`` (the phrase itself if it is one), at most ``limit``.
        Remembered per phrase: a search asks once per segment (a hundred at 1M), and
        each ask scans the whole list."""
        key = (phrase, limit)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= REMEMBERED:
                self._found.clear()
            found = self._found[key] = self._scan(phrase, limit)
        return list(found)

    def _scan(self, phrase: str, limit: int) -> list[str]:
        found: list[str] = []
        at = self.joined.find(phrase)
        while at >= 0 and len(found) < limit:
            i = bisect_right(self.starts, at) - 1
            found.append(self.words[i])
            at = self.joined.find(phrase, self.starts[i] + len(self.words[i]) + 1)
        return found

    @classmethod
    def load(cls, folder: Path) -> Lexicon:
        """The store's list; empty (nothing proven, all verified) if missing or damaged."""
        try:
            data = jsonio.loads((folder / LEXICON_FILE).read_bytes())
            words = data["words"].split("\n") if data["words"] else []
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls([])
        return cls(words)


def segment_words(reader) -> list[str]:
    """One segment's words that can prove a phrase."""
    words = []
    for raw in reader.lexicon("text"):
        word = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        if len(word) > 2 and "\n" not in word and uncased(word):
            words.append(word)
    return words


def write_lexicon(folder: Path, readers: dict[str, object]) -> None:
    """``lexicon.json`` for the segments ``readers`` (segment id → reader): the list
    already in ``folder`` (linked from the previous generation) plus the words of the
    segments it does not cover.  Written to a new file and renamed into place (the old
    name may be a hard link shared with the live generation)."""
    path = folder / LEXICON_FILE
    try:
        old = jsonio.loads(path.read_bytes())
        covered, words = set(old["segments"]), set(filter(None, old["words"].split("\n")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        covered, words = set(), set()
    fresh = [name for name in readers if name not in covered]
    if not fresh and path.exists():
        return
    for name in fresh:
        words.update(segment_words(readers[name]))
    data = {"segments": sorted(covered | set(readers)), "words": "\n".join(sorted(words))}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(jsonio.dumps(data))
    os.replace(tmp, path)


def proven_mask(
    reader,
    phrase: str,
    lexicon: Lexicon,
    ids: np.ndarray,
    known: np.ndarray | None = None,
    min_docs: int = MIN_DOCS,
) -> np.ndarray | None:
    """Which of the candidate docnums ``ids`` the postings of the words containing
    ``phrase`` (uncased, ≥ 3 characters) prove to hold it; ``known``: the phrase's own
    postings if already read.  Words are read from the most frequent down and only until
    every candidate is proven.  None: no word proves anything."""
    held = np.isin(ids, known) if known is not None and len(known) else None
    sized = []
    for word in lexicon.containing(phrase):
        if known is not None and word == phrase:
            continue
        size = doc_frequency(reader, word)
        if size >= min_docs:
            sized.append((size, word))
    for _, word in sorted(sized, reverse=True):
        if held is not None and held.all():
            break
        posting = word_docnums(reader, word)
        if posting is None or not len(posting):
            continue
        proven = np.isin(ids, posting, assume_unique=True)
        held = proven if held is None else held | proven
    return held
