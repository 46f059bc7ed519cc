from repair.decide.diff import markdown_diff, word_diff


def test_word_diff_round_trips():
    before, after = "Putin a “murder” today", "Putin a “killer” today"
    runs = word_diff(before, after)
    assert "".join(t for op, t in runs if op != "insert") == before
    assert "".join(t for op, t in runs if op != "delete") == after
    assert ("delete", "murder") in runs and ("insert", "killer") in runs


def test_markdown_diff_marks_words_and_escapes():
    assert markdown_diff("pay the price", "pay a price") == "pay ~~the~~**a** price"
    assert markdown_diff("a *b*", "a *b*") == "a \\*b\\*"
