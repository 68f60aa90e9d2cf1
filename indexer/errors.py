"""Errors the edges (CLI, web) map to messages; each carries a hint a user can act on."""


class FazhiError(Exception):
    """Base of the errors a user can fix."""


class QueryError(FazhiError):
    """A query that cannot be parsed or run; ``str()`` explains why."""


class IndexMissing(FazhiError):
    """No index has been built at the given directory yet."""


class CorruptIndex(FazhiError):
    """A file inside the live index cannot be read; the next ``fazhi index`` rebuilds it."""


class StoreUnavailable(FazhiError):
    """The search engine cannot be reached (every node of a cluster down, a wrong address)."""
