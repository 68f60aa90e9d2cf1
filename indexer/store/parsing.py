"""The query language over the Whoosh schema, shared by every store.

Whoosh's parser reads the syntax (AND/OR/NOT, ``field:value``, quotes); here quoted text
on the default field becomes an ``ExactPhrase`` and unquoted words ``BareWord`` substring
queries, so no store ever matches a phrase through jieba's cuts.  The SphinxQL store
parses with the same parser and writes the tree out as ``MATCH()`` (``sphinxql``).
"""

from __future__ import annotations

from whoosh import qparser, query
from whoosh.fields import ID, NUMERIC, Schema
from whoosh.qparser.plugins import PhrasePlugin
from whoosh.qparser.syntax import attach
from whoosh.qparser.taggers import RegexTagger

from ..fold import fold
from .analysis import WordsField
from .bare import BareWord, bare_query
from .exact import ExactPhrase


def make_schema() -> Schema:
    return Schema(
        # Stored: only which paragraph a document is.  Its text, heading and the report's
        # metadata are in the catalog (``query`` fills rows from it), so not kept twice.
        report=ID(stored=True, sortable=True),
        paragraph=NUMERIC(stored=True, sortable=True),
        unit=ID(sortable=True),
        district=ID(sortable=True),
        year=ID(sortable=True),
        section=ID(sortable=True),
        kind=ID,
        # no positions: quoted phrases are answered by ``exact``, never by jieba words
        text=WordsField(),
    )


def exact_query(text: str) -> query.Query:
    """A quoted phrase: exact after NFKC and whitespace folding (see ``exact``)."""
    return ExactPhrase(text) if fold(text) else query.NullQuery


class ExactPhraseNode(PhrasePlugin.PhraseNode):
    def query(self, parser):
        if self.fieldname in (None, parser.fieldname):
            return attach(exact_query(self.text), self)
        return super().query(parser)


class ExactPhraseTagger(RegexTagger):
    def create(self, parser, match):
        return ExactPhraseNode(match.group("text"), match.start("text"))


class ExactPhrasePlugin(PhrasePlugin):
    """Quoted text on the default field becomes an ``ExactPhrase``, not jieba words."""

    def taggers(self, parser):
        return [(ExactPhraseTagger(r'"(?P<text>.*?)"'), 0)]


class BareWordParser(qparser.QueryParser):
    """Words on the default field become ``BareWord`` substring queries (see ``bare``),
    not jieba terms; fielded words (``unit:万兴街``) stay terms of their field."""

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True):
        if fieldname == self.fieldname and tokenize:
            return bare_query(text, boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def literal_terms(q: query.Query) -> list[str]:
    """Strings to highlight: exact phrases and jieba words, not negated ones."""
    if isinstance(q, query.Not):
        return []
    if isinstance(q, ExactPhrase):
        return [q.text]
    if isinstance(q, query.AndNot):
        return literal_terms(q.a)
    if isinstance(q, query.Term) and q.fieldname == "text":
        return [str(q.text)]
    return [t for child in q.children() for t in literal_terms(child)]


def has_ranked_terms(q: query.Query) -> bool:
    """Whether any jieba word (field ``text``) takes part, i.e. BM25 has anything to rank."""
    if isinstance(q, BareWord) or (isinstance(q, query.Term) and q.fieldname == "text"):
        return True
    return any(has_ranked_terms(child) for child in q.children())


def make_parser(schema: Schema | None = None) -> qparser.QueryParser:
    """The one parser of both stores: AND between words, quotes for ``ExactPhrase``,
    no wildcards (``*`` and ``?`` are literal text in a report)."""
    p = BareWordParser("text", schema or make_schema(), group=qparser.AndGroup)
    p.remove_plugin_class(qparser.PhrasePlugin)
    p.add_plugin(ExactPhrasePlugin())
    p.remove_plugin_class(qparser.WildcardPlugin)
    return p
