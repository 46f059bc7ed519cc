"""What makes report.html an interactive review page, safely.

The page is one offline file: its script and style are inline, allowed by a
Content-Security-Policy that names their sha256 hashes (computed here, at render
time), so nothing else can run or load, not even from the page's own text. The
run's data reaches the script as JSON inside a `<script type="application/json">`
block, with `<`, `>` and `&` written as `\\u003c`, `\\u003e`, `\\u0026` so that
article text can never close the block; the script puts text into the page only
with `textContent`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

from repair.records import Document, Proposal


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    """An inline asset of the page (review.js, review.css), from the package."""
    text = files("repair").joinpath("templates", name).read_text(encoding="utf-8")
    if "</" in text and ("</script" in text.lower() or "</style" in text.lower()):
        raise ValueError(f"{name} must not contain a closing script or style tag")
    return text


def csp_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline script or style."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing from the network; only this page's own script and style run.

    `connect-src 'self'` lets the page talk to `mtrepair review`'s server when it
    is served by it (a page opened from a file has no 'self' to reach).
    """
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {csp_hash(script)}",
            f"style-src {csp_hash(style)}",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def script_json(data: object) -> str:
    """JSON safe to put inside a `<script type="application/json">` block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def review_data(run: dict, target: Document, proposals: Sequence[Proposal], min_confidence: float) -> dict:
    """What the review script needs: the cleaned text, sentence spans and the
    proposals an editor decides on (cleanup edits are already applied)."""
    return {
        "run_id": run["run_id"],
        "text_sha256": run["target"]["cleaned_sha256"],
        "target": target.name,
        "min_confidence": min_confidence,
        "text": target.text,
        "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in target.sentences],
        "proposals": [p.to_dict() for p in proposals if p.kind != "cleanup"],
    }


def page_parts(review: dict) -> dict:
    """The inline script and style, the data block and the policy that allows them."""
    script, style = asset("review.js"), asset("review.css")
    return {
        "review_js": script,
        "review_css": style,
        "review_json": script_json(review),
        "csp": content_security_policy(script, style),
    }
