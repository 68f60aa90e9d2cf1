"""What a SphinxQL node indexes, and a parsed query as a SphinxQL ``MATCH()`` expression.

Text is tokenised here, on the client, into plain ASCII tokens, so the engine's own
tokeniser (charset ``0..9, a..z, _``) only splits on spaces and never decides what a
word is.  That makes Sphinx 2.2 and Manticore behave identically and makes matching
exact by construction:

* ``pairs`` — one token per pair of adjacent characters of the folded text (ASCII
  letters lowercased): a quoted phrase or bare word of n ≥ 2 characters is a phrase of
  its n − 1 pair tokens, which matches exactly where the folded text holds it as a
  substring, punctuation and digits included.  Pairs, not single characters: a CJK
  character is in a large share of all paragraphs, a pair of them in far fewer, so the
  engine intersects shorter lists (a phrase's COUNT(*) at 100k paragraphs: p50 10.2 →
  6.4 ms; end-to-end figures in docs/scale.md);
* ``chars`` — one token per character, for the one-character phrases and words;
* ``cpairs``, ``cased`` — the same two with ASCII case kept, only for paragraphs that
  hold an ASCII capital, so a quoted ``"ICP"`` is case-exact as on the Whoosh store;
* ``words`` — one token per jieba word (the Whoosh ``text`` analyser), for BM25;
* ``meta`` — one token per field value (``unit:…``, ``year:…``) plus ``EVERY``, which
  every paragraph holds so a query of only ``NOT …`` stays computable.

Queries are parsed by the Whoosh store's own parser, so both stores read the same
syntax the same way; the tree is then written out as a SphinxQL expression.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from whoosh import qparser, query

from ..errors import QueryError
from ..fold import fold
from . import parsing
from .analysis import word_analyzer

EVERY = "zevery"
UPPER = "zupper"
FIELDS = ("unit", "district", "year", "section", "report")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def key64(text: str) -> int:
    """A stable positive 63-bit hash: document ids, attribute keys, shard choice."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") & (2**63 - 1)) or 1


def _base36(n: int) -> str:
    out = []
    while True:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
        if not n:
            return "".join(reversed(out))


# Tokens are cached: a paragraph's ~150 pair tokens come from a vocabulary of a few
# hundred thousand, and computing each in Python was a third of a cluster build (10k
# paragraphs: 13.4 of 36 profiled seconds).
@lru_cache(maxsize=1 << 16)
def char_token(ch: str) -> str:
    return "c" + _base36(ord(ch))


@lru_cache(maxsize=1 << 19)
def pair_token(first: str, second: str) -> str:
    return "p" + _base36(ord(first) * 0x110000 + ord(second))


def _pairs(text: str) -> list[str]:
    return [pair_token(a, b) for a, b in zip(text, text[1:], strict=False)]


@lru_cache(maxsize=1 << 18)
def word_token(word: str) -> str:
    return "w" + _base36(key64(word) >> 3)


def meta_token(field: str, value: str) -> str:
    return "m" + _base36(key64(f"{field}\0{value}") >> 3)


def chars_field(folded: str) -> str:
    return " ".join(map(char_token, folded.translate(_LOWER)))


def has_upper(folded: str) -> bool:
    return any("A" <= ch <= "Z" for ch in folded)


def cased_field(folded: str) -> str:
    return " ".join(map(char_token, folded)) if has_upper(folded) else ""


def pairs_field(folded: str) -> str:
    return " ".join(_pairs(folded.translate(_LOWER)))


def cased_pairs_field(folded: str) -> str:
    return " ".join(_pairs(folded)) if has_upper(folded) else ""


def words_field(text: str) -> str:
    return " ".join(word_token(t.text) for t in word_analyzer()(text) if t.text)


def meta_field(values: dict[str, str], folded: str) -> str:
    tokens = [EVERY, *(meta_token(k, v) for k, v in values.items())]
    if has_upper(folded):
        tokens.append(UPPER)
    return " ".join(tokens)


def parser() -> qparser.QueryParser:
    """The Whoosh store's parser over its schema (no index needed to parse)."""
    return parsing.make_parser()


def parse(text: str) -> query.Query:
    if not text.strip():
        return query.Every()
    try:
        return parser().parse(text)
    except (ValueError, TypeError, IndexError) as exc:
        raise QueryError(f"无法解析查询 {text!r}: {exc}") from exc


def _phrase(field: str, tokens: list[str]) -> str:
    return f'(@{field} "{" ".join(tokens)}")' if len(tokens) > 1 else f"(@{field} {tokens[0]})"


def _substring(text: str, cased: bool = False) -> str:
    """Paragraphs whose (lowercased, unless ``cased``) folded text holds ``text``: a
    phrase of its pair tokens, or its one character token."""
    if len(text) == 1:
        return _phrase("cased" if cased else "chars", [char_token(text)])
    return _phrase("cpairs" if cased else "pairs", _pairs(text))


def _exact(text: str) -> str | None:
    """A quoted phrase: case-exact on the cased fields where a paragraph has capitals,
    else on the lowercased ones (which then equal the folded text)."""
    folded = fold(text)
    if not folded:
        return None
    lowered = _substring(folded.translate(_LOWER))
    if not has_upper(folded) and not any("a" <= c <= "z" for c in folded):
        return lowered
    cased = _substring(folded, cased=True)
    if has_upper(folded):
        return cased
    return f"({cased} | ({lowered} -(@meta {UPPER})))"


def _bare(node) -> str | None:
    """A bare word: its folded text anywhere (ASCII case aside), ranked by its jieba words."""
    key = node.text.translate(_LOWER)
    if not key:
        return None
    match = _substring(key)
    words = [word_token(w) for w in getattr(node, "words", [])]
    if not words:
        return match
    # ``A | (A B)`` matches exactly A and lets the ranker see B (Sphinx 2.2.11's MAYBE
    # loses matches); B is the word's jieba words, as the Whoosh store ranks it.
    return f"({match} | ({match} (@words {' | '.join(words)})))"


def to_match(q: query.Query) -> str | None:
    """The MATCH() expression of a parsed query; ``None`` where nothing can match."""
    name = type(q).__name__
    if isinstance(q, query.Every):
        return f"(@meta {EVERY})"
    if q is query.NullQuery or name in ("_NullQuery", "NullQuery"):
        return None
    if name == "BareWord":
        return _bare(q)
    if name == "ExactPhrase":
        return _exact(q.text)
    if isinstance(q, query.Term):
        if q.fieldname == "text":
            return f"(@words {word_token(str(q.text))})"
        if q.fieldname in FIELDS:
            return f"(@meta {meta_token(q.fieldname, str(q.text))})"
    if isinstance(q, query.TermRange) and q.fieldname == "year":
        years = [y for y in map(str, range(1900, 2101)) if _in_range(y, q)]
        return f"(@meta {' | '.join(meta_token('year', y) for y in years)})" if years else None
    if isinstance(q, query.Not):
        inner = to_match(q.query)
        return f"(@meta {EVERY})" if inner is None else f"((@meta {EVERY}) -{inner})"
    if isinstance(q, query.AndNot):
        a, b = to_match(q.a), to_match(q.b)
        return a if a is None or b is None else f"({a} -{b})"
    if isinstance(q, query.AndMaybe):
        a, b = to_match(q.a), to_match(q.b)
        return a if a is None or b is None else f"({a} | ({a} {b}))"
    if isinstance(q, query.And):
        parts = [to_match(c) for c in q.children()]
        return None if any(p is None for p in parts) or not parts else f"({' '.join(parts)})"
    if isinstance(q, query.Or):
        parts = [p for p in (to_match(c) for c in q.children()) if p is not None]
        return f"({' | '.join(parts)})" if parts else None
    raise QueryError(f'集群索引不支持这种查询：{q}（可用：词、"短语"、AND/OR/NOT、字段:值）')


def _in_range(value: str, q: query.TermRange) -> bool:
    """Whether ``value`` lies in ``q`` as Whoosh compares ID terms (as strings)."""
    start, end = q.start, q.end
    if start is not None and (value < start or (q.startexcl and value == start)):
        return False
    return end is None or not (value > end or (q.endexcl and value == end))


def ranked(q: query.Query) -> bool:
    """Whether jieba words take part, i.e. there is a BM25 score to sort by."""
    return parsing.has_ranked_terms(q)


def highlight_terms(q: query.Query) -> list[str]:
    return list(dict.fromkeys(t for t in parsing.literal_terms(q) if t))
