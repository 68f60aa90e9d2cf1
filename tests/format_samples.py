"""Real files of each published format, made from the seed reports inside the tests.

Every format test compares against the .txt of the same report: the paragraphs
(kind, text, section, heading path) and the metadata must come out identical.
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.ingest.reports import parse_report

CORPUS = Path(__file__).parent.parent / "corpus"
SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))


def seed_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def seed_lines(name: str) -> list[str]:
    return [line.strip() for line in seed_text(name).splitlines() if line.strip()]


def indexed(text: str, hints: dict[str, str] | None = None, file: str = "x") -> tuple:
    """What the index keeps of a report: metadata and every paragraph's structure."""
    report = parse_report(text, file, hints=hints)
    m = report.meta
    meta = (m.unit, m.district, m.year, m.date, m.title)
    return meta, [(p.kind, p.text, p.section, tuple(p.heading)) for p in report.paragraphs]


def write_docx(path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    """A .docx as Word writes it: running header, page-number footer, optional table."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "区政府办公室文件"
    footer = section.footer.paragraphs[0]
    footer.text = "- "
    footer._p.append(
        parse_xml(
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            ' w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )
    footer.add_run(" -")
    for i, line in enumerate(lines):
        document.add_paragraph(line)
        if table and i == len(lines) // 2:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    grid.cell(r, c).text = cell
    document.save(path)
    return path


def split_title(name: str) -> tuple[str, list[str]]:
    """(the title as the parser reads it, or "", the lines after the title lines)."""
    lines = seed_lines(name)
    report = parse_report(seed_text(name), name)
    title = report.meta.title or ""
    taken, joined = 0, ""
    while title and joined != title and taken < len(lines):
        joined += lines[taken]
        taken += 1
    return title, lines[taken:] if title else lines


NAV = """<div class="header"><div class="logo"><h1>南开区人民政府</h1></div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 法治政府建设</div>"""
SHARE = """<div class="bdsharebuttonbox share">分享到：<a class="bds_weixin">微信</a><a>微博</a></div>
<div class="print-close">【<a href="javascript:window.print()">打印本页</a>】【<a>关闭窗口</a>】</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a.html">区司法局2023年法治政府建设年度报告</a></li>
<li><a href="/b.html">关于开展“八五”普法中期评估的通知</a></li></ul></div>"""
FOOTER = """<div class="footer"><p>主办单位：天津市南开区人民政府办公室</p>
<p>网站标识码：1201040001　津ICP备05004286号-1　津公网安备 12010402000123号</p>
<p>版权所有 © 南开区人民政府</p></div>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>"""


def _head(title: str, charset: str, meta: bool) -> str:
    tags = f'<meta charset="{charset}">' if charset else ""
    if meta:
        tags += (
            f'<meta name="SiteName" content="天津市南开区人民政府"><meta name="ArticleTitle" '
            f'content="{title}"><meta name="PubDate" content="2024-01-05 09:30">'
            '<meta name="ContentSource" content="区政府办公室">'
            '<link rel="canonical" href="https://www.tjnk.gov.cn/zwgk/fzzfjs/202401/t20240105_1.html">'
        )
    return (
        f"<!DOCTYPE html><html><head>{tags}<title>{title}_天津市南开区人民政府</title>"
        "<style>.TRS_Editor p{text-indent:2em}</style><script>function f(){}</script></head>"
    )


def gov_page(title: str, lines: list[str], layout: str, charset: str = "utf-8") -> bytes:
    """A report page laid out as government sites publish them.

    ``trs``: TRS WCM (``.TRS_Editor`` inside ``.view``), ``<p>`` per paragraph, meta tags.
    ``zoom``: Hanweb table layout, ``#zoom``, GB2312 ``http-equiv``, nested ``<span>``s and
    source line breaks inside paragraphs.  ``br``: one ``<p>`` with ``<br>``-separated
    paragraphs, no meta tags, a 发布日期/信息来源 line.  ``plain``: no known container.
    """
    esc = __import__("html").escape
    heading = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
    if layout == "trs":
        paras = "".join(
            f"<p>&nbsp;&nbsp;<strong>{esc(t)}</strong></p>"
            if heading.match(t)
            else f'<p style="text-indent:2em">{esc(t)}</p>'
            for t in lines
        )
        body = (
            f'{NAV}<div class="article"><h1 class="article-title">{esc(title)}</h1>'
            '<div class="info">发布时间：2024-01-05 来源：区政府办公室 字号：[大 中 小]</div>'
            f'<div class="view TRS_UEDITOR trs_paper_default"><div class="TRS_Editor">'
            f"<style>p{{margin:0}}</style>{paras}</div></div>{SHARE}</div>{FOOTER}"
        )
        head = _head(title, charset if charset != "gb2312" else "gbk", True)
    elif layout == "zoom":
        paras = "".join(
            '<p style="text-indent:2em;line-height:28px">\n  <span style="font-family:仿宋">'
            + _wrap(esc(t))
            + "</span></p>\n"
            for t in lines
        )
        body = (
            f'{NAV}<table width="1000"><tr><td class="title">{esc(title)}</td></tr>'
            '<tr><td class="info">信息来源：区政府办公室　发布日期：2024-01-05</td></tr>'
            '<tr><td class="bt_content"><div id="zoom"><!--ZJEG_RSS.content.begin-->'
            f"{paras}<!--ZJEG_RSS.content.end--></div></td></tr></table>{SHARE}{FOOTER}"
        )
        head = (
            '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; '
            f'charset={charset}"><meta name="ArticleTitle" content="{esc(title)}">'
            f"<title>{esc(title)}</title></head>"
        )
    elif layout == "br":
        paras = "<br>\n".join(f"&#12288;&#12288;{esc(t)}" for t in lines)
        body = (
            f'{NAV}<div class="article-content"><h2>{esc(title)}</h2>'
            '<div class="source">发布日期：2024-01-05　信息来源：区政府办公室</div>'
            f"<p>{paras}<br></p></div>{SHARE}{FOOTER}"
        )
        head = _head(title, charset, False)
    else:
        paras = "".join(f"<p>{esc(t)}</p>\n" for t in lines)
        body = (
            f'{NAV}<div class="wrap"><div class="left-column"><ul><li><a>法治动态</a></li>'
            '<li><a>法治政府建设年度报告</a></li></ul></div><div class="main-text">'
            f'<div class="headline">{esc(title)}</div>{paras}</div></div>{SHARE}{FOOTER}'
        )
        head = _head(title, charset, True)
    page = f"{head}<body>{body}</body></html>"
    codec = {"gb2312": "gb18030", "gbk": "gb18030"}.get(charset, charset)
    return page.encode(codec)


def _wrap(text: str, width: int = 40) -> str:
    """Source-code line breaks inside a paragraph, as CMS editors write them."""
    out, run = [], 0
    for i, ch in enumerate(text):
        out.append(ch)
        run += 1
        if run >= width and i + 1 < len(text) and _cjk(ch) and _cjk(text[i + 1]):
            out.append("\n    ")
            run = 0
    return "".join(out)


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


CHROMIUM = Path("/usr/bin/chromium")
PAGE_TIMEOUT_MS = 180_000  # generous: CI shares two cores with other work
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
RADICALS = {
    "民": "⺠",
    "长": "⻓",
    "人": "⼈",
    "工": "⼯",
    "门": "⻔",
}  # as PDF producers emit them


def print_html(title: str, lines: list[str], style: str = "indent", radicals: bool = False) -> str:
    """A report laid out as a printed government document (A4, 仿宋-like serif, 16pt).

    ``indent``: justified paragraphs with a 2em first-line indent (the 公文 norm);
    ``ragged``: left-aligned lines of uneven length; ``spaced``: no indent, space
    between paragraphs.  The signature and date are right-aligned.  ``radicals`` writes
    民 长 人 工 门 as the radical code points some PDF producers use.
    """
    esc = __import__("html").escape
    body, tail = lines, []
    if lines and re.match(r"^\d{4}年\d{1,2}月\d{1,2}日$", re.sub(r"\s", "", lines[-1])):
        body, tail = lines[:-2], lines[-2:]
    paras = "".join(f"<p>{esc(t)}</p>" for t in body)
    paras += "".join(f'<p class="sign">{esc(t)}</p>' for t in tail)
    if radicals:
        for plain, radical in RADICALS.items():
            paras = paras.replace(plain, radical)
    rules = {
        "indent": "p{text-indent:2em;margin:0;text-align:justify}",
        "ragged": "p{text-indent:2em;margin:0;text-align:left}",
        "spaced": "p{text-indent:0;margin:0 0 .8em;text-align:justify}",
    }[style]
    return (
        '<!doctype html><html><head><meta charset="utf-8"><style>'
        "@page{size:A4;margin:30mm 26mm 30mm 28mm}"
        'body{font-family:"Noto Serif CJK SC",serif;font-size:16pt;line-height:1.6}'
        "h1{text-align:center;font-size:20pt;font-weight:normal;margin:0 0 1em}"
        f"{rules} p.sign{{text-align:right;text-indent:0;margin:0}}"
        f"</style></head><body><h1>{esc(title)}</h1>{paras}</body></html>"
    )


HEADER = (
    '<div style="font-size:9pt;width:100%;text-align:center;font-family:Noto Sans CJK SC">{}</div>'
)
FOOTER = (
    '<div style="font-size:12pt;width:100%;text-align:center;font-family:Noto Serif CJK SC">'
    '- <span class="pageNumber"></span> -</div>'
)


def print_pdf(browser, page_html: str, header: str = "区政府办公室文件") -> bytes:
    """Chromium's print to PDF, with a running header and "- N -" page numbers."""
    page = browser.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.set_content(page_html)
        return page.pdf(
            format="A4",
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template=HEADER.format(header),
            footer_template=FOOTER,
        )
    finally:
        page.close()


def scan_pdf(browser, page_html: str) -> bytes:
    """A scan: the rendered page as a picture, printed to PDF with no text layer."""
    import base64

    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        page.set_content(page_html)
        png = page.screenshot(full_page=False)
        image = base64.b64encode(png).decode("ascii")
        page.set_content(
            '<html><body style="margin:0"><img style="width:100%" '
            f'src="data:image/png;base64,{image}"></body></html>'
        )
        return page.pdf(format="A4")
    finally:
        page.close()
