"""Make docs/review.png: the review page of a run, mid-review, in headless Chromium.

    .venv/bin/python docs/review_screenshot.py RUN_DIR [docs/review.png]

It accepts the “murder” → “killer” quote, rejects one “pay the price” proposal,
rewrites one flagged sentence, and leaves the focus on the next proposal.
"""

import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def main(run: Path, out: Path) -> None:
    proposals = json.loads((run / "proposals.json").read_text())["proposals"]
    quote = next(p for p in proposals if p["original"] == "murder")
    price = next(p for p in proposals if p["original"] == "pay the price")
    flag = next(p for p in proposals if p["kind"] == "flag" and p["original"].startswith("These sanctions"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.goto((run / "report.html").as_uri())
        page.locator(f'tr[data-id="{quote["id"]}"] button[data-act="accept"]').click()
        page.locator(f'tr[data-id="{price["id"]}"] button[data-act="reject"]').click()
        page.locator(f'tr[data-id="{flag["id"]}"] button[data-act="edit"]').click()
        box = page.locator(f'tr[data-id="{flag["id"]}"] textarea')
        box.fill("These sanctions targeted the FSB, Russia's intelligence service.")
        box.press("Enter")
        page.locator(f'tr[data-id="{quote["id"]}"] td').first.click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(out))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/review.png"))
