"""Hostile text in an article or a reference reaches the report only as text.

The written report.html is parsed, and report.md is rendered to HTML by a
CommonMark renderer with raw HTML allowed (as many Markdown viewers do); in
both, no script element, no event-handler attribute and no link may appear,
while the hostile text itself is still there for the reviewer to read.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from flows.repair_pair import repair_pair
from repair.reporting.report import markdown_escape

HOSTILE = '<script>alert(1)</script> Russia recalled <img src=x onerror="alert(2)"> its envoy. <a href="javascript:alert(3)">link</a>'
HOSTILE_MD = "[click me](javascript:alert(5)) and ![pixel](http://example.invalid/x.png) and <svg onload=alert(6)>"


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def visible_text(html: str) -> str:
    """What a reader sees: the text of the page, tags gone, entities decoded."""
    return "".join(Elements(html).text)


def assert_inert(html: str, allowed_tags: set[str]) -> None:
    elements = Elements(html).tags
    assert {tag for tag, _ in elements} <= allowed_tags, {tag for tag, _ in elements} - allowed_tags
    for tag, attrs in elements:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any("javascript:" in (value or "").lower() for value in attrs.values()), (tag, attrs)


PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h3", "div", "main", "b", "span", "ul",
             "li", "p", "del", "ins", "code", "section", "table", "tr", "th", "td", "mark", "q", "br", "details", "summary"}
REVIEW_TAGS = {"script", "button", "input", "label", "select", "option", "aside", "nav", "kbd", "strong", "em", "small",
               "textarea", "noscript", "h2", "ol", "dl", "dt", "dd", "fieldset", "legend", "output", "a"}
MARKDOWN_TAGS = {"h1", "h2", "p", "blockquote", "ul", "li", "code", "strong", "del", "s", "em", "hr", "table", "thead",
                 "tbody", "tr", "th", "td"}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, settings, embedder):
    folder = tmp_path_factory.mktemp("hostile")
    target = folder / "<script>alert(7)<>target.txt"
    target.write_text(
        f"Moscow recalls ambassador <script>alert(0)</script>\n{HOSTILE}\n"
        f"The Kremlin said the ties were at a dead end. {HOSTILE_MD}\nHe have a car.\n"
    )
    reference = folder / "reference.txt"
    reference.write_text(
        "Russia pulled its ambassador. <script>alert(4)</script> The Kremlin said ties were in a blind alley. "
        f"{HOSTILE_MD} <img src=x onerror=alert(8)>\n"
    )
    out = folder / "run"
    repair_pair(str(target), [str(reference)], str(out), settings, publish_artifact=False)
    return out


def test_report_html_shows_hostile_text_as_text(hostile_run):
    html = (hostile_run / "report.html").read_text(encoding="utf-8")
    assert_inert(html, PAGE_TAGS | REVIEW_TAGS)
    # The page's own two script blocks are the only ones; the input's markup is text.
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/json" id="review-data">', "<script>"]
    data = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and ">" not in data
    seen = visible_text(html)
    assert "<script>alert(1)</script> Russia recalled <img" in seen  # visible, but only as text
    assert "<script>alert(7)<>target.txt" in seen  # the file name too
    assert "[click me](javascript:alert(5))" in seen


def test_report_md_rendered_by_a_markdown_viewer_stays_inert(hostile_run):
    markdown = (hostile_run / "report.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(markdown)
    assert_inert(rendered, MARKDOWN_TAGS)
    assert "<a " not in rendered and "<img" not in rendered
    seen = visible_text(rendered)
    assert "<script>alert(7)<>target.txt" in seen  # the file name, as text
    assert 'javascript:alert(3)">link</a>' in seen  # the hostile sentence, as text


def test_proposals_json_keeps_the_text_exactly(hostile_run):
    proposals = json.loads((hostile_run / "proposals.json").read_text(encoding="utf-8"))["proposals"]
    cleaned = (hostile_run / "cleaned.txt").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" in cleaned  # the data is not mangled, only its display is escaped
    assert all(cleaned[p["start"] : p["end"]] == p["original"] for p in proposals if p["kind"] != "cleanup")


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("[a](javascript:x)", "\\[a](javascript:x)"),
        ("AT&T and &amp;", "AT&T and &amp;amp;"),
        (3, 3),
    ],
)
def test_markdown_escape(text, escaped):
    assert markdown_escape(text) == escaped
