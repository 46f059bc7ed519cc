"""Make docs/desk.png: the review desk over a batch output folder, in headless Chromium.

    .venv/bin/python docs/desk_screenshot.py OUT_DIR [docs/desk.png]

It serves the desk on a free loopback port, lets "Alice" take the neediest drop
(one decision, saved by the page itself), and photographs the desk.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from desk.server import serve_folder

ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]


def main(out_dir: Path, png: Path) -> None:
    with serve_folder(out_dir).start() as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 760})
        context.add_init_script("window.localStorage.setItem('mtrepair-desk:editor', 'Alice')")
        page = context.new_page()
        page.goto(served.url)
        page.locator("tr.drop td.name a").first.click()
        page.locator("#desk-bar").wait_for()
        page.locator("tr.proposal button[data-act=accept]").first.click()
        page.locator("#message", has_text="Saved").wait_for()
        page.goto(served.url)
        page.screenshot(path=str(png))
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "docs/desk.png"))
