"""The review page in a real headless Chromium (Debian's `chromium`, driven by Playwright).

An editor accepts, rejects and edits, exports decisions.json, and `mtrepair apply`
writes exactly that article; the article the page shows live is the same text;
hostile article and reference text runs nothing; and the page served by the
review server saves decisions that resume a paused Prefect run.
"""

import json
import os
import shutil
import socket
from pathlib import Path

import pytest
from review_helpers import write_synthetic_run
from test_cli import mtrepair

from repair.decide.decisions import apply_decisions, load_decisions, load_run

CHROMIUM = os.environ.get("MTREPAIR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
LIVE_TEXT = """() => {
  const column = document.getElementById("article-repaired").cloneNode(true);
  column.querySelectorAll("del").forEach((node) => node.remove());
  return column.textContent;
}"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM}: no Chromium for the browser tests; `make browser` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records script errors, dialogs and every request it makes."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.errors, page.dialogs, page.requests = [], [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: page.requests.append(request.url))
    yield page
    context.close()
    assert page.errors == [], "the review script raised"


def row(page, proposal_id):
    return page.locator(f'tr.proposal[data-id="{proposal_id}"]')


def select(page, proposal_id):
    row(page, proposal_id).locator("td").first.click()


def edit(page, proposal_id, text):
    row(page, proposal_id).get_by_role("button", name="Edit").click()
    box = row(page, proposal_id).locator("textarea")
    box.fill(text)
    box.press("Enter")


def export(page, folder: Path) -> Path:
    with page.expect_download() as download:
        page.click("#export")
    path = folder / "decisions.json"
    download.value.save_as(path)
    return path


def replace_spans(text, changes):
    for start, end, new in sorted(changes, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def test_an_editor_accepts_rejects_and_edits_and_apply_writes_that_article(seed_run_copy, page, tmp_path):
    run = seed_run_copy
    proposals = json.loads((run / "proposals.json").read_text())["proposals"]
    quote = next(p for p in proposals if p["original"] == "murder" and p["replacement"] == "killer")
    prices = [p for p in proposals if p["original"] == "pay the price" and p["replacement"] == "pay a price"]
    flag = next(p for p in proposals if p["kind"] == "flag")
    page.goto((run / "report.html").as_uri())
    assert page.locator("#toolbar").is_visible(), "the review script did not run"

    row(page, quote["id"]).get_by_role("button", name="Accept").click()
    select(page, prices[0]["id"])
    page.keyboard.press("r")
    mine = 'These sanctions <b>hit</b> the FSB & more.'
    edit(page, flag["id"], mine)
    select(page, prices[1]["id"])
    page.keyboard.press("a")
    page.keyboard.press("u")  # undo: that one stays undecided

    assert row(page, quote["id"]).locator(".status").text_content() == "accepted"
    assert row(page, prices[0]["id"]).locator(".status").text_content() == "rejected"
    assert row(page, flag["id"]).locator(".status").text_content() == "your text applied"
    assert row(page, prices[1]["id"]).locator(".status").text_content() == "undecided"
    assert "3 of" in page.locator("#progress").text_content()

    decisions = export(page, tmp_path)
    result = mtrepair("apply", str(run), "--decisions", str(decisions))
    assert result.returncode == 0, result.stderr
    cleaned = (run / "cleaned.txt").read_text()
    expected = replace_spans(cleaned, [(quote["start"], quote["end"], "killer"), (flag["start"], flag["end"], mine)])
    final = (run / "final.txt").read_text()
    assert final == expected
    assert "“killer”" in final and mine in final and final.count("pay the price") == cleaned.count("pay the price")
    assert page.evaluate(LIVE_TEXT) == final
    changes = (run / "changes.md").read_text()
    assert f"`{quote['id']}`" in changes.split("## Applied")[1].split("## Rejected")[0]
    assert f"`{prices[0]['id']}`" in changes.split("## Rejected")[1]


def test_the_live_article_follows_the_same_overlap_rule_as_apply(page, tmp_path):
    folder = write_synthetic_run(tmp_path / "run")
    run = load_run(folder)
    page.goto((folder / "report.html").as_uri())
    for pid in ["P0001", "P0002", "P0004", "P0006"]:  # P0001 and P0002 overlap; P0004 inserts
        row(page, pid).get_by_role("button", name="Accept").click()
    assert "overlaps P0002" in row(page, "P0001").locator(".status").text_content()
    python = apply_decisions(run, load_decisions(export(page, tmp_path)))
    assert page.evaluate(LIVE_TEXT) == python.text == "He will pay a price soon enough. Putin was called a “murder” by Joe Biden.\n\nThe ties are at a dead end.\n"

    edit(page, "P0001", "pay dearly")  # the editor's own text wins over the accepted P0002
    edit(page, "P0005", "Ties are at an impasse.")
    assert "overlaps P0001 (your text)" in row(page, "P0002").locator(".status").text_content()
    python = apply_decisions(run, load_decisions(export(page, tmp_path)))
    assert page.evaluate(LIVE_TEXT) == python.text
    assert "pay dearly soon enough" in python.text and "Ties are at an impasse." in python.text


def test_hostile_article_and_reference_text_runs_nothing(hostile_run, page, tmp_path):
    report = (hostile_run / "report.html").as_uri()
    page.goto(report)
    assert page.locator("#toolbar").is_visible(), "the review script did not run"
    page.click("#accept-above")  # the accepted text carries markup too
    for pid in page.eval_on_selector_all("tr.proposal", "rows => rows.map(r => r.dataset.id)")[:1]:
        edit(page, pid, '<img src=x onerror="window.__xss = \'edit\'"><script>window.__xss = "edit"</script>')
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.requests == [report], "the page loaded something"
    assert page.locator("img, iframe, object, embed, a[href]").count() == 0
    assert page.locator("script").count() == 2
    shown = page.locator("#article-original").text_content()
    assert '<img src=x onerror="window.__xss = \'img\'">' in shown and '<a href="javascript:' in shown
    assert "window.__xss = 'edit'" in page.locator("#article-repaired").text_content()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_served_page_saves_decisions_that_resume_a_paused_prefect_run(seed_run_copy, page):
    from flows.review import review_run
    from test_review_flow import in_thread, paused_run_for

    run = seed_run_copy
    port = free_port()
    thread, outcome = in_thread(review_run, str(run), timeout=120, serve=True, poll_interval=1, port=port)
    paused_run_for(run)
    page.goto(f"http://127.0.0.1:{port}/")
    page.locator("#save").wait_for(state="visible")
    page.click("#accept-above")
    page.click("#save")
    page.locator("#message", has_text="The paused run goes on").wait_for()
    thread.join(60)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["value"]["mode"] == "decisions"
    assert (run / "final.txt").read_bytes() == (run / "repaired.txt").read_bytes()
    assert json.loads((run / "decisions.json").read_text())["run_id"] == load_run(run).run_id
