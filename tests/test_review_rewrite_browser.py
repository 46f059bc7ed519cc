"""Rewriting sentences in place on the review page, in a real headless Chromium.

An editor takes a reference sentence ("use this") as the start of a rewrite of a
sentence without proposals, edits it, exports the decisions, and `mtrepair apply`
writes that article; served by the review server, a rewrite started from part
of a reference sentence supersedes the sentence's accepted proposal, Save writes
it to the run folder, and the page's live article equals what apply writes.
"""

import json

from test_cli import mtrepair
from test_review_browser import LIVE_TEXT, browser, export, page, row  # noqa: F401 (browser, page: fixtures)

from desk.server import ReviewServer
from repair.text.segment import split_sentences

FIRST_PLAIN_WITH_REFERENCES = """() => Array.from(document.querySelectorAll("details.quiet p[data-sentence]"))
  .map((p) => Number(p.dataset.sentence))
  .find((i) => document.querySelector('details.refs[data-sentence="' + i + '"] li'))"""


def references_of(page, index):
    refs = page.locator(f'details.refs[data-sentence="{index}"]')
    if not refs.evaluate("details => details.open"):  # opening the rewrite box opens them too
        refs.locator("summary").click()
    return refs


def rewrite_box(page, index):
    return page.get_by_role("textbox", name=f"Your wording for sentence {index + 1}")


def replace_sentence(text, index, new):
    s = split_sentences(text)[index]
    return text[: s.start] + new + text[s.end :]


def test_use_this_on_a_reference_rewrites_a_sentence_without_proposals_and_apply_writes_it(seed_run_copy, page, tmp_path):
    run = seed_run_copy
    page.goto((run / "report.html").as_uri())
    page.click("details.quiet > summary")
    index = page.evaluate(FIRST_PLAIN_WITH_REFERENCES)
    assert index is not None, "the seed run has a sentence without proposals that has reference sentences"
    proposals = json.loads((run / "proposals.json").read_text())["proposals"]
    assert all(p["sentence_index"] != index for p in proposals if p["kind"] != "cleanup")

    refs = references_of(page, index)
    first = refs.locator("li").first
    reference = first.locator("q").text_content()
    first.get_by_role("button", name=f"use this: reference sentence 1 as the start of a rewrite of sentence {index + 1}").click()
    box = rewrite_box(page, index)
    assert box.input_value() == reference and box.evaluate("node => node === document.activeElement")
    box.press("End")
    box.press_sequentially(" <b>Checked</b> & kept.")
    box.press("Enter")

    mine = reference + " <b>Checked</b> & kept."
    status = page.locator(f"#s{index} .rewrite-bar .status").text_content()
    assert status.startswith("rewritten by you, from ") and first.get_attribute("data-document") in status
    assert "1 sentence rewritten" in page.locator("#progress").text_content()
    assert page.locator(f"#s{index} .text ins").count() > 0  # shown as track changes
    assert page.locator(f"#s{index} b").count() == 0  # the editor's text stays text

    decisions = export(page, tmp_path)
    doc = json.loads(decisions.read_text())
    assert doc["schema_version"] == 2 and doc["decisions"] == []
    [rewrite] = doc["rewrites"]
    assert rewrite["sentence_index"] == index and rewrite["text"] == mine
    assert rewrite["reference"]["text"] == reference and rewrite["reference"]["sentence_index"] == int(first.get_attribute("data-index"))

    result = mtrepair("apply", str(run), "--decisions", str(decisions))
    assert result.returncode == 0, result.stderr
    assert "1 sentence rewritten" in result.stdout
    cleaned = (run / "cleaned.txt").read_text()
    final = (run / "final.txt").read_text()
    assert final == replace_sentence(cleaned, index, mine)
    assert page.evaluate(LIVE_TEXT) == final
    audit = (run / "changes.md").read_text().split("## Rewritten by the editor (1)")[1]
    assert f"sentence {index + 1}, the editor's rewrite:" in audit and "started from " in audit

    page.reload()  # the rewrite is remembered in the browser
    assert "1 sentence rewritten" in page.locator("#progress").text_content()
    page.keyboard.press("u")  # and undo forgets it
    assert "rewritten" not in page.locator("#progress").text_content()


def test_a_rewrite_from_part_of_a_reference_supersedes_the_sentences_proposal_and_is_saved(seed_run_copy, page):
    run = seed_run_copy
    proposals = json.loads((run / "proposals.json").read_text())["proposals"]
    target = next(p for p in proposals if p["original"] == "murder" and p["replacement"] == "killer")
    index = target["sentence_index"]
    with ReviewServer(run).start() as server:
        page.goto(f"http://127.0.0.1:{server.port}/")
        page.locator("#save").wait_for(state="visible")
        row(page, target["id"]).get_by_role("button", name="Accept").click()
        page.keyboard.press("w")  # the keyboard opens the rewrite of the proposal's sentence, Esc closes it
        assert rewrite_box(page, index).is_visible()
        page.keyboard.press("Escape")
        assert rewrite_box(page, index).count() == 0
        refs = references_of(page, index)
        first = refs.locator("li").first
        whole = first.locator("q").text_content()
        part = " ".join(whole.split()[:4])
        first.locator("q").evaluate("""(q, length) => {
          const range = document.createRange();
          range.setStart(q.firstChild, 0);
          range.setEnd(q.firstChild, length);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }""", len(part))
        first.get_by_role("button", name=f"use this: reference sentence 1 as the start of a rewrite of sentence {index + 1}").click()
        box = rewrite_box(page, index)
        assert box.input_value() == part
        box.press("End")
        box.press_sequentially(" and more.")
        page.get_by_role("button", name="Save rewrite").click()

        status = row(page, target["id"]).locator(".status").text_content()
        assert status == f"accepted, but you rewrote sentence {index + 1}: not applied"
        live = page.evaluate(LIVE_TEXT)
        page.click("#save")
        page.locator("#message", has_text="and 1 rewritten sentence").wait_for()

    saved = json.loads((run / "decisions.json").read_text())
    assert saved["decisions"] == [{"proposal_id": target["id"], "action": "accept"}]
    assert saved["rewrites"][0]["text"] == part + " and more." and saved["rewrites"][0]["reference"]["text"] == whole
    result = mtrepair("apply", str(run), "--decisions", str(run / "decisions.json"))
    assert result.returncode == 0, result.stderr
    final = (run / "final.txt").read_text()
    assert final == replace_sentence((run / "cleaned.txt").read_text(), index, part + " and more.") == live
    superseded = (run / "changes.md").read_text().split("## Superseded: in a sentence the editor rewrote (1)")[1]
    assert f"`{target['id']}` reference" in superseded
