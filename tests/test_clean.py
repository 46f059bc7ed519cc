"""Cleaning: each fix is an edit a reviewer can see, and offsets map both ways."""

from repair.text.clean import clean_text


def rules(edits):
    return [e.rule for e in edits]


def test_spaces_inside_curly_quotes_are_removed():
    text, edits = clean_text("Putin a “ murder ” relations")
    assert text == "Putin a “murder” relations"
    assert rules(edits) == ["quote-spacing", "quote-spacing"]


def test_opening_quote_used_as_closing_is_turned():
    text, _ = clean_text("“he will pay, you will see him soon “. Next")
    assert text == "“he will pay, you will see him soon”. Next"


def test_straight_quote_pairs_lose_inner_spaces():
    text, _ = clean_text('He said " no " twice.')
    assert text == 'He said "no" twice.'


def test_a_space_inside_a_quote_that_a_word_touches_outside_moves_out():
    # machine translation glues quotes to the wrong side; removing the inner space would glue two words
    text, _ = clean_text("but“ Legion ”is an ambitious team")
    assert text == "but “Legion” is an ambitious team"
    text, _ = clean_text('"We help," he said, "all of them, "said the governor.')
    assert text == '"We help," he said, "all of them," said the governor.'


def test_boilerplate_lines_go_and_headlines_stay():
    source = "Russia recalls its envoy\n\nStrong points:\n\nBody text here.\nShare on Facebook\nBack to top button"
    text, edits = clean_text(source)
    assert text == "Russia recalls its envoy\n\nBody text here.\n"
    assert rules(edits).count("boilerplate") == 3


def test_repeated_passage_is_removed():
    line = "The Kremlin rejected the claims made in the report today."
    text, edits = clean_text(f"{line}\nOther news.\n{line}\n")
    assert text == f"{line}\nOther news.\n"
    assert "duplicate" in rules(edits)


def test_spacing_is_normalised():
    text, _ = clean_text("  Too   many spaces , here .  ")
    assert text == "Too many spaces, here."


def test_every_edit_maps_source_to_cleaned_text():
    source = "Head\n\n\nStrong points:\nA “ b ” c  d .\nBack to top button\n"
    text, edits = clean_text(source)
    for edit in edits:
        assert source[edit.source_start : edit.source_end] == edit.original
        assert text[edit.start : edit.end] == edit.replacement
    # replaying the edits on the source gives the cleaned text
    rebuilt, cursor = [], 0
    for edit in edits:
        rebuilt.append(source[cursor : edit.source_start] + edit.replacement)
        cursor = edit.source_end
    assert "".join(rebuilt) + source[cursor:] == text


def test_clean_text_is_stable():
    text, _ = clean_text("A “ b ” c.\n\n\nBack to top button\n")
    again, edits = clean_text(text)
    assert again == text and edits == []
