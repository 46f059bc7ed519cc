"""Links to reports that open from the Prefect UI.

The index stores each report's path relative to the output folder. In a
Prefect artifact a path is plain text, and a file:// link does not open from a
web page (browsers refuse to navigate from http:// to local files). When the
output folder is published by a web server (`reports_url`, e.g. a team's
static file server or `python -m http.server --directory out`), the link is
that server's URL for the report; otherwise it is the file:// URI, which opens
when the UI and the files are on the same machine and the link is copied into
the address bar.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin


def report_link(out: Path, relative: str, reports_url: str | None) -> str:
    """The URL of `relative` (as stored in index.json: relative to `out`, URL-quoted)."""
    if reports_url:
        return urljoin(reports_url.rstrip("/") + "/", relative)
    return (out.resolve() / unquote(relative)).as_uri()


def markdown_text(text: str) -> str:
    """`text` shown literally in Markdown (drop names and errors are data, not markup)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~" else ch for ch in text)
