"""The one link builder: the URL is the state, so it must be canonical and ASCII."""

from urllib.parse import parse_qsl, urlsplit

from webui.security import ascii_header
from webui.urls import build


def test_path_alone():
    assert build("/") == "/"
    assert build("/", {}) == "/"


def test_canonical_order_and_defaults_dropped():
    state = {"page": "1", "sort": "relevance", "year": "2022", "q": "法治"}
    assert build("/", state) == "/?q=%E6%B3%95%E6%B2%BB&year=2022"


def test_changes_override_and_none_removes():
    state = {"q": "x", "unit": "万兴街", "page": "3"}
    url = build("/", state, unit=None, page=None, sort="year")
    assert url == "/?q=x&sort=year"


def test_empty_and_blank_values_are_dropped():
    assert build("/", {"q": "  ", "unit": ""}, section=None) == "/"


def test_non_ascii_is_percent_encoded_and_round_trips():
    state = {"q": '"公职 律师" & a=b#c', "unit": "区协同办"}
    url = build("/", state)
    assert url.isascii()
    assert " " not in url and "#" not in url
    assert dict(parse_qsl(urlsplit(url).query)) == {"q": '"公职 律师" & a=b#c', "unit": "区协同办"}


def test_fragment_and_ints():
    url = build("/reports/r1", {"q": "律师"}, fragment="p-12", page=2)
    assert url == "/reports/r1?q=%E5%BE%8B%E5%B8%88&page=2#p-12"


def test_unknown_keys_come_after_known_ones_sorted():
    assert build("/x", {"zeta": "1", "alpha": "2", "q": "q"}) == "/x?q=q&alpha=2&zeta=1"


def test_state_is_not_mutated():
    state = {"q": "a"}
    build("/", state, page=2)
    assert state == {"q": "a"}


def test_ascii_header_percent_encodes_only_non_ascii():
    assert ascii_header("/?q=abc") == "/?q=abc"
    assert ascii_header("/?q=公职") == "/?q=%E5%85%AC%E8%81%8C"
