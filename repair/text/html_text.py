"""The readable text of an HTML page or a Markdown file, one paragraph a line.

Articles arrive as saved web pages or Markdown as often as plain text. The
pipeline works on plain text whose lines are paragraphs, so markup is turned
into exactly that:

- HTML: trafilatura finds the article's main content (dropping navigation,
  footers and other boilerplate) and writes one block a line; the page's
  headline is kept when the article body is preceded by it.
- Markdown: markdown-it parses it; each heading, paragraph and list item is a
  line of its inline text (emphasis, links and images reduced to their words);
  code blocks and raw HTML are not prose and are left out.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_BODY = re.compile(r"<body[\s>]", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The main text of a page, one block a line ('' when there is none)."""
    import trafilatura

    if not _BODY.search(html):  # a fragment: give the extractor a page to work on
        html = f"<html><body>{html}</body></html>"
    text = trafilatura.extract(
        html,
        output_format="txt",
        favor_recall=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    if not text:
        text = trafilatura.baseline(html)[1]
    return _tidy(text or "")


_MARKDOWN = MarkdownIt("commonmark")
_BLOCKS_WITH_TEXT = {"heading_open", "paragraph_open"}


def markdown_to_text(markdown: str) -> str:
    """The prose of a Markdown document, one heading, paragraph or list item a line."""
    lines = []
    tokens = _MARKDOWN.parse(markdown)
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type in _BLOCKS_WITH_TEXT and inline.type == "inline":
            lines.append(_inline_text(inline.children or []))
    return _tidy("\n".join(lines))


def _inline_text(children) -> str:
    parts = []
    for token in children:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_inline_text(token.children or []))
    return "".join(parts)


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
