"""Queries refused before they are searched, each with a hint: unbalanced quotes or
parentheses, unknown fields, and queries that parse but ask nothing — operators with no
words, fields with no value.

Whoosh's parser is lenient: ``AND``, ``OR OR``, ``NOT``, ``unit:`` or ``法律 AND`` parse
into a query that matches nothing, and the search page would then list every report
as 未提及 — a false finding.  Such a query is refused with a hint instead, as an
unbalanced quote is.  Runs after quotes and parentheses are known to be balanced.
"""

from __future__ import annotations

import re

from .errors import QueryError

BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE"}
UNARY = {"NOT"}
FIELD_ONLY = re.compile(r"^([A-Za-z_]+):$")
FIELD_EXAMPLES = {"unit": "区司法局", "district": "东丽区", "year": "2023", "section": "measures"}
EXAMPLE = "例如 法律顾问 AND 公职律师、法律顾问 NOT 公职律师、unit:区司法局 普法"


def tokens(query: str) -> list[str]:
    """Operators, parentheses, ``field:`` and words; a quoted phrase is one token."""
    out = []
    for m in re.finditer(r'"[^"]*"|[()]|[^\s()"]+', query):
        out.append(m.group(0))
    return out


def check_meaningful(query: str) -> None:
    """Raise ``QueryError`` (with an example) for a query that asks for nothing."""
    if not query.strip():
        return  # an empty query is "everything", handled by the caller
    toks = tokens(query)
    for n, tok in enumerate(toks):
        nxt = toks[n + 1] if n + 1 < len(toks) else None
        prev = toks[n - 1] if n else None
        if tok == '""':
            raise QueryError('引号里没有内容：请在 "" 之间写要精确查找的短语，例如 "公职律师"')
        field = FIELD_ONLY.match(tok)
        if field and nxt != "(" and not (nxt or "").startswith('"'):
            raise QueryError(
                f"{tok} 后面缺少要筛选的值，例如 {field.group(1)}:区司法局（冒号后不留空格）"
            )
        if tok == "(" and nxt == ")":
            raise QueryError("括号里没有检索词：() 之间要写检索词")
        if tok in BINARY:
            if prev in (None, "(", *BINARY, *UNARY) or nxt in (None, ")", *BINARY):
                raise QueryError(f"{tok} 两边都要有检索词，{EXAMPLE}")
        if tok in UNARY and nxt in (None, ")", *BINARY, *UNARY):
            raise QueryError(f"NOT 后面缺少要排除的词，{EXAMPLE}")
    words = [t for t in toks if t not in BINARY | UNARY | {"(", ")"} and not FIELD_ONLY.match(t)]
    if not words:
        raise QueryError(f"查询中没有检索词：AND、OR、NOT 是运算符，要和检索词一起用，{EXAMPLE}")


FIELDS = ("unit", "district", "year", "section", "report")


def check_syntax(query: str) -> None:
    """Explain the mistakes Whoosh's lenient parser would silently turn into no hits."""
    if query.count('"') % 2:
        raise QueryError('引号不成对：短语要用一对英文双引号括起来，例如 "公职律师"')
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", query):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise QueryError("括号不成对：多了一个右括号 )")
    if depth:
        raise QueryError("括号不成对：缺少右括号 )")
    for name in re.findall(r"(?:^|[\s(])([A-Za-z_]+):", re.sub(r'"[^"]*"', "", query)):
        if name not in FIELDS:
            raise QueryError(f"未知字段 {name}:，可用字段：{', '.join(FIELDS)}")
    check_meaningful(query)
