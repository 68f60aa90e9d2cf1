"""Query-string parsing: request args → a clean state dict and typed values.

Every page reads its state from the URL through here, so a malformed or hostile
query string is turned into a ``BadParam`` (a 400 page with a message in Chinese)
instead of reaching the core as garbage or surfacing as a 500.
"""

from __future__ import annotations

from collections.abc import Mapping

from indexer.model import SECTIONS, Filters

SEARCH_KEYS: tuple[str, ...] = (
    "q", "task", "unit", "district", "year", "section", "more", "sort", "page"
)  # fmt: skip
LIST_KEYS: tuple[str, ...] = ("unit", "district", "year", "absent", "more", "page")
SORTS: tuple[str, ...] = ("relevance", "unit", "year")
MAX_TEXT = 200  # characters; longer queries are refused with a message, never sent to the core
MAX_PAGE = 10_000


class BadParam(ValueError):
    """A query-string value the UI cannot use; the message is shown to the user."""


def state_from(args: Mapping[str, str], keys: tuple[str, ...]) -> dict[str, str]:
    """The non-empty, stripped values of ``keys`` (first value wins), length-checked."""
    state: dict[str, str] = {}
    for key in keys:
        value = (args.get(key) or "").strip()
        if not value:
            continue
        if len(value) > MAX_TEXT:
            raise BadParam(f"参数 {key} 过长（{len(value)} 个字符，最多 {MAX_TEXT} 个）。")
        if "\x00" in value:
            raise BadParam(f"参数 {key} 含有非法字符。")
        state[key] = value
    return state


def year_of(state: Mapping[str, str], key: str = "year") -> int | None:
    value = state.get(key)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        raise BadParam(f"年份“{value}”无效：请填写四位数字，例如 2023。")
    return int(value)


def page_of(state: Mapping[str, str]) -> int:
    value = state.get("page", "1")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_PAGE:
        raise BadParam(f"页码“{value}”无效：请填写 1 到 {MAX_PAGE} 之间的整数。")
    return int(value)


def sort_of(state: Mapping[str, str]) -> str:
    value = state.get("sort", "relevance")
    if value not in SORTS:
        raise BadParam(f"排序方式“{value}”无效：可选 relevance、unit、year。")
    return value


def limit_of(args: Mapping[str, str], default: int, maximum: int = 1000) -> int:
    """``limit`` for the export routes; ``0`` means all (as in ``Index.search``)."""
    value = (args.get("limit") or "").strip() or str(default)
    if not (value.isascii() and value.isdigit()) or int(value) > maximum:
        raise BadParam(f"limit“{value[:20]}”无效：请填写 0（全部）到 {maximum} 之间的整数。")
    return int(value)


def filters_of(state: Mapping[str, str]) -> Filters:
    section = state.get("section")
    if section is not None and section not in SECTIONS:
        raise BadParam(f"部分“{section}”无效：可选 {'、'.join(SECTIONS)}。")
    return Filters(
        unit=state.get("unit"),
        district=state.get("district"),
        year=year_of(state),
        section=section,
    )
