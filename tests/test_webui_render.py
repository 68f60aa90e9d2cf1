"""Report text reaches HTML only through these helpers: escaped, with our tags only."""

from indexer.compare import DiffOp
from indexer.model import ReportMeta, Span
from webui.render import diff_side, layered, marked, report_label, snippet


def test_marked_escapes_text_and_wraps_spans():
    html = marked("<b>公职律师</b>制度", [Span(3, 7)])
    assert str(html) == "&lt;b&gt;<mark>公职律师</mark>&lt;/b&gt;制度"


def test_marked_merges_overlaps_and_clips():
    html = marked("abcdef", [Span(4, 99), Span(0, 2), Span(1, 3), Span(5, 5)])
    assert str(html) == "<mark>abc</mark>d<mark>ef</mark>"


def test_marked_accepts_pairs_and_other_tags():
    assert str(marked("abc", [(1, 2)], tag="ins")) == "a<ins>b</ins>c"


def test_script_is_text():
    assert "<script>" not in str(marked("<script>alert(1)</script>", []))


def test_snippet_short_text_is_whole():
    assert str(snippet("短文本", [Span(0, 1)])) == "<mark>短</mark>文本"


def test_snippet_windows_around_first_hit():
    text = "甲" * 300 + "律师" + "乙" * 300
    html = str(snippet(text, [Span(300, 302)], width=100))
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>律师</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == 102


def test_report_label_skips_unknowns():
    meta = ReportMeta(
        id="r", file="f.txt", unit="万兴街", district="南开区", year=2022, date=None, title=None
    )
    assert report_label(meta) == "万兴街 · 2022 · 南开区"
    bare = ReportMeta(
        id="r", file="f.txt", unit=None, district=None, year=None, date=None, title=None
    )
    assert report_label(bare) == "r"


def test_layered_nests_marks_inside_reused_and_escapes():
    html = str(layered("ab<c>d", [(1, 3)], [(0, 2)]))
    assert html == (
        '<span class="reused">a</span><span class="reused"><mark>b</mark></span>'
        "<mark>&lt;</mark>c&gt;d"
    )


def test_diff_sides():
    ops = [
        DiffOp("equal", "合同"),
        DiffOp("delete", "<23>"),
        DiffOp("insert", "31"),
        DiffOp("equal", "件"),
    ]
    assert str(diff_side(ops, "a")) == "合同<del>&lt;23&gt;</del>件"
    assert str(diff_side(ops, "b")) == "合同<ins>31</ins>件"
