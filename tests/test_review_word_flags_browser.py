"""Out-of-place words on the review page, in a real headless Chromium: the word is underlined in its
sentence, picking one of its alternatives is an edit decision, and `mtrepair apply` writes it."""

import json

from test_cli import mtrepair
from test_review_browser import LIVE_TEXT, browser, export, page, row  # noqa: F401 (browser, page: fixtures)


def word_flag(run, word):
    proposals = json.loads((run / "proposals.json").read_text())["proposals"]
    return next(p for p in proposals if p["kind"] == "word" and p["original"] == word)


def test_the_word_is_underlined_and_a_picked_alternative_is_applied_by_mtrepair_apply(seed_run_copy, page, tmp_path):
    run = seed_run_copy
    flag = word_flag(run, "withdrawn")
    alternatives = [a["word"] for a in flag["evidence"]["alternatives"]]
    page.goto((run / "report.html").as_uri())
    assert page.locator("#toolbar").is_visible(), "the review script did not run"

    underline = page.locator(f'section[data-sentence="{flag["sentence_index"]}"] .text .oop[data-id="{flag["id"]}"]')
    assert underline.text_content() == "withdrawn"
    assert "underline" in underline.evaluate("node => getComputedStyle(node).textDecorationLine")
    buttons = row(page, flag["id"]).locator("button[data-alt]")
    assert buttons.all_text_contents() == alternatives  # best first
    assert row(page, flag["id"]).locator(".status").text_content() == "undecided"

    choice = "recalled" if "recalled" in alternatives else alternatives[0]
    row(page, flag["id"]).locator(f'button[data-alt="{choice}"]').click()
    assert row(page, flag["id"]).locator(".status").text_content() == "your text applied"
    assert row(page, flag["id"]).locator(f'button[data-alt="{choice}"]').get_attribute("aria-pressed") == "true"
    assert underline.count() == 0  # the word is decided: no longer underlined
    assert "1 edited" in page.locator("#progress").text_content()

    decisions = export(page, tmp_path)
    saved = json.loads(decisions.read_text())["decisions"]
    assert saved == [{"proposal_id": flag["id"], "action": "edit", "text": choice}]
    result = mtrepair("apply", str(run), "--decisions", str(decisions))
    assert result.returncode == 0, result.stderr
    cleaned = (run / "cleaned.txt").read_text()
    final = (run / "final.txt").read_text()
    assert final == cleaned[: flag["start"]] + choice + cleaned[flag["end"]:]
    assert page.evaluate(LIVE_TEXT) == final
    applied = (run / "changes.md").read_text().split("## Applied")[1].split("## Rejected")[0]
    assert f"`{flag['id']}`" in applied and choice in applied


def test_a_dismissed_or_kept_word_changes_nothing_and_your_own_word_is_an_edit(seed_run_copy, page, tmp_path):
    run = seed_run_copy
    flag = word_flag(run, "withdrawn")
    page.goto((run / "report.html").as_uri())
    row(page, flag["id"]).get_by_role("button", name="Reject").click()
    assert row(page, flag["id"]).locator(".status").text_content() == "dismissed"
    assert page.locator(f'.oop[data-id="{flag["id"]}"]').count() == 0
    row(page, flag["id"]).get_by_role("button", name="Accept").click()  # kept as it is: still underlined
    assert page.locator(f'.oop[data-id="{flag["id"]}"]').count() == 1
    row(page, flag["id"]).locator("button[data-own]").click()
    box = row(page, flag["id"]).locator("textarea")
    box.fill("pulled")
    box.press("Enter")
    decisions = export(page, tmp_path)
    result = mtrepair("apply", str(run), "--decisions", str(decisions))
    assert result.returncode == 0, result.stderr
    cleaned = (run / "cleaned.txt").read_text()
    assert (run / "final.txt").read_text() == cleaned[: flag["start"]] + "pulled" + cleaned[flag["end"]:]

    result = mtrepair("apply", str(run), "--accept-all")  # accepting every proposal keeps the word
    assert result.returncode == 0, result.stderr
    assert "withdrawn its ambassador" in (run / "final.txt").read_text()
