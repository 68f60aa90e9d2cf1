"""Report pages saved from government web sites: the article body and its meta tags.

A page is mostly chrome — navigation, the 当前位置 breadcrumb, a share bar, related
links, the footer with 网站标识码 / ICP备 / 版权所有 — around one article.  Sites built
on the common CMSs (TRS WCM, Hanweb, the gov.cn templates) put the article in a
known container (``.TRS_Editor``, ``#zoom``, ``#UCAP-CONTENT`` …); those are tried
first, and a page without one falls back to the element holding the most paragraph
text.  Measured against trafilatura on pages in these layouts, this keeps every body
paragraph where trafilatura drops headings and signature lines (see README).

Inside the article every block element, ``<br>`` and table row ends a line, so a
report written as ``<br>``-separated lines inside one ``<p>`` comes out as its
paragraphs.  The 《政府网站发展指引》 meta tags (``ArticleTitle``, ``PubDate``,
``ContentSource``, ``SiteName``), the 发布时间/来源 line and the canonical URL
become hints for the metadata step.
"""

from __future__ import annotations

import re

from . import Extracted, UnreadableFile, require_report_text
from .radicals import normalise_radicals
from .txt import decode_bytes

CONTAINERS = (
    "TRS_Editor",
    "zoom",
    "Zoom",
    "UCAP-CONTENT",
    "pages_content",
    "article-content",
    "article_content",
    "articleContent",
    "Custom_UnionStyle",
    "TRS_UEDITOR",
    "xxgk_content",
    "news_content",
    "content",
)
SKIP = {"script", "style", "noscript", "iframe", "object", "embed", "button", "select"}
SKIP |= {"input", "textarea", "svg", "template", "head", "title", "meta", "link", "nav"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"}
BLOCK |= {"table", "tbody", "thead", "tfoot", "caption", "section", "article", "main"}
BLOCK |= {"blockquote", "center", "pre", "address", "header", "footer", "form", "hr"}
BLOCK |= {"figure", "figcaption", "aside"}
CHROME_CLASS = re.compile(
    r"nav|menu|breadcrumb|crumb|position|location|dqwz|share|bdshare|related|xgxx|xgwz|"
    r"footer|foot|copyright|banner|sidebar|toolbar|print|pagination|comment",
    re.I,
)
CHROME_LINE = re.compile(
    r"^(当前位置|您当前的位置|您现在的位置|首页\s*[>＞»]|发布时间|发布日期|发文日期|信息来源|来源[:：]|"
    r"作者[:：]|浏览次数|访问量|点击数|字号|【\s*(字体|大|打印|关闭)|分享到|扫一扫|打印本页|关闭窗口|"
    r"上一篇|下一篇|相关链接|相关文章|网站标识码|主办单位|承办单位|技术支持|版权所有)"
    r"|ICP备|公网安备|网站标识码"
)
CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2014\u2018-\u201f\u2026"
SOFT_BREAK = "\u2029"
CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
LEGACY = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030"}
LEGACY |= {"cp936": "gb18030", "euc-cn": "gb18030", "big5": "cp950", "big5-hkscs": "big5hkscs"}
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
INFO_DATE = re.compile(r"(?:发布时间|发布日期|发文日期|日期)[:：]\s*(\S+(?:\s*\d{1,2}\s*日)?)")
INFO_SOURCE = re.compile(r"(?:信息来源|来源|发布机构)[:：]\s*([^\s　|｜]+)")
TITLE_WORDS = re.compile(r"报告|法治|依法行政")
MIN_REPORT_CHARS = 30  # below the title: less is a notice, an index page or an attachment link


def decode_page(data: bytes) -> str:
    """The page as text: its declared charset if it fits (GB2312 read as GB18030), else sniffed."""
    declared = CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(LEGACY.get(name, name))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: fall back to sniffing
    return decode_bytes(data).text


def extract(data: bytes) -> Extracted:
    import lxml.html
    from lxml import etree

    text = decode_page(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str with an encoding decl
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableFile(f"not a readable HTML page: {exc}") from exc
    hints = page_hints(root)
    body = article_element(root)
    lines, info = article_lines(body)
    for line in [*info, " ".join(root.text_content().split())]:
        hints.update(info_hints(line, hints))
    title = hints.get("title", "")
    if title and TITLE_WORDS.search(title) and not _starts_with(lines, title):
        lines.insert(0, title)
    report = normalise_radicals("\n".join(lines))
    beyond_title = lines[1:] if title and lines and lines[0] == title else lines
    chinese = len(re.findall("[\u4e00-\u9fff]", "".join(beyond_title)))
    if chinese < MIN_REPORT_CHARS:
        attached = attachments(body) or attachments(root)
        where = f"; attachments: {', '.join(attached)}" if attached else ""
        raise UnreadableFile(
            f"the page holds only {chinese} Chinese characters below its title, not a report{where}"
        )
    return Extracted(require_report_text(report, "the page"), "html", hints=hints)


def attachments(el) -> list[str]:
    """Links to report files in the article: a page that only announces an attachment."""
    found = []
    for link in el.iter("a"):
        href = (link.get("href") or "").strip()
        if re.search(r"\.(pdf|docx?|wps)(\?|$)", href, re.I) and href not in found:
            found.append(href)
    return found[:5]


def page_hints(root) -> dict[str, str]:
    """Title, publication date, source unit, site and canonical URL from the head."""
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        value = " ".join((meta.get("content") or "").split())
        if key and value and key not in metas:
            metas[key] = value
    hints: dict[str, str] = {}
    page_title = re.split(r"\s*[_|｜—–-]{1,2}\s*", _first_text(root, "title"))[0]
    for title in (metas.get("articletitle"), _first_text(root, "h1"), page_title):
        if title and TITLE_WORDS.search(title):  # not a logo or a site name in an <h1>
            hints["title"] = title
            break
    date = _date(
        metas.get("pubdate") or metas.get("publishdate") or metas.get("firstpublishedtime")
    )
    if date:
        hints["date"] = date
    for key, name in (("contentsource", "source"), ("sitename", "site")):
        if metas.get(key):
            hints[name] = metas[key]
    url = ""
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            url = (link.get("href") or "").strip()
            break
    url = url or metas.get("og:url", "")
    if re.match(r"^https?://[^\s\"'<>]+$", url):
        hints["url"] = url
    return hints


def info_hints(line: str, known: dict[str, str]) -> dict[str, str]:
    """A 发布时间：… 来源：… line fills the date and source the head did not give."""
    found: dict[str, str] = {}
    m = INFO_DATE.search(line)
    if m and "date" not in known and _date(m.group(1)):
        found["date"] = _date(m.group(1))
    m = INFO_SOURCE.search(line)
    if m and "source" not in known:
        found["source"] = m.group(1)
    return found


def article_element(root):
    """The site's content container if it has one, else the densest paragraph block."""
    found = []
    for name in CONTAINERS:
        found += root.xpath(
            f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ') or @id='{name}']"
        )
        if found:
            break
    if found:
        return max(found, key=_cjk_count)
    body = root.find("body")
    candidates = [el for el in root.iter("div", "td", "article", "section", "main")]
    best = max(candidates, key=_direct_text, default=None)
    return best if best is not None and _direct_text(best) else (body if body is not None else root)


def _cjk_count(el) -> int:
    return len(re.findall(f"[{CJK}]", el.text_content()))


def _direct_text(el) -> int:
    """CJK characters in ``el``'s own text and its paragraph children (not deeper blocks)."""
    parts = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag in {"p", "br", "span", "font", "strong", "b", "center", "h2", "h3"}:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return len(re.findall("[\u4e00-\u9fff]", "".join(parts)))


def article_lines(el) -> tuple[list[str], list[str]]:
    """(report lines, chrome lines) of the article element, in reading order."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = _clean("".join(current))
        current.clear()
        if line:
            lines.append(line)

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if not tag or tag in SKIP or _is_chrome(node):
            return
        if tag == "br":
            flush()
            return
        if tag == "tr":
            flush()
            cells = [
                _cell_text(c) for c in node if isinstance(c.tag, str) and c.tag in ("td", "th")
            ]
            row = "\t".join(c for c in cells).strip()
            if row:
                lines.append(row)
            return
        block = tag in BLOCK
        if block:
            flush()
        current.append(node.text or "")
        for child in node:
            walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(el)
    flush()
    info = [line for line in lines if len(line) < 100 and CHROME_LINE.search(line)]
    return [line for line in lines if line not in info], info


def _cell_text(cell) -> str:
    return " ".join(_clean(t) for t in cell.itertext() if _clean(t))


def _is_chrome(node) -> bool:
    marks = f"{node.get('class') or ''} {node.get('id') or ''}"
    return node.tag in {"header", "footer", "aside"} or bool(
        marks.strip() and CHROME_CLASS.search(marks) and not _is_container(marks)
    )


def _is_container(marks: str) -> bool:
    return any(name in marks.split() for name in CONTAINERS)


def _clean(raw: str) -> str:
    """Collapse HTML whitespace; a source line break between Chinese characters is nothing."""
    text = re.sub(r"[ \t\r\f\v]*\n\s*", SOFT_BREAK, raw)
    text = re.sub(f"(?<=[{CJK}]){SOFT_BREAK}|{SOFT_BREAK}(?=[{CJK}])", "", text)
    text = re.sub(f"[ \t\xa0{SOFT_BREAK}]+", " ", text)
    return text.strip()


def _first_text(root, tag: str) -> str:
    el = next(root.iter(tag), None)
    return " ".join(el.text_content().split()) if el is not None else ""


def _date(value: str | None) -> str | None:
    m = DATE.search(value or "")
    if not m:
        return None
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def _starts_with(lines: list[str], title: str) -> bool:
    """The body already opens with the title (maybe split over two lines)."""
    squash = re.sub(r"\s+", "", title)
    head = "".join(re.sub(r"\s+", "", line) for line in lines[:3])
    first = re.sub(r"\s+", "", lines[0]) if lines else ""
    return bool(first) and (head.startswith(squash) or squash.startswith(first))
