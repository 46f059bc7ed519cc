"""Pre-tokenised lines: checked as running text, answered in the corpus's tokenisation."""

from repair.text.tokenized import TextEdit, TokenStyle, apply_edits_to_tokens, detokenize, looks_tokenized, tokenize_text

PTB = TokenStyle(ptb_clitics=True, ptb_quotes=True)
MOSES = TokenStyle(ptb_clitics=False, ptb_quotes=False)


def test_detokenize_joins_punctuation_clitics_and_quotes():
    assert detokenize("I do n't know , he said .").text == "I don't know, he said."
    assert detokenize('He said " hello there " to me .').text == 'He said "hello there" to me.'
    assert detokenize("`` Yes , '' she said ( quietly ) .").text == "“Yes,” she said (quietly)."
    assert detokenize("I don 't know .").text == "I don't know."


def test_every_token_keeps_its_span():
    line = detokenize("the U.S. has 3.5 million , she 's sure .")
    for token, (a, b) in zip(line.tokens, line.spans):
        assert line.text[a:b] == token


def test_no_edit_gives_the_line_back_unchanged():
    for text in ["I do n't know , he said .", "`` Yes , '' she said ."]:
        assert apply_edits_to_tokens(detokenize(text), [], PTB) == text


def test_an_edit_retokenises_only_the_tokens_it_touches():
    line = detokenize("I do n't know , he said .")  # "I don't know, he said."
    assert apply_edits_to_tokens(line, [TextEdit(2, 7, "won't")], PTB) == "I wo n't know , he said ."
    assert apply_edits_to_tokens(line, [TextEdit(14, 16, "she")], PTB) == "I do n't know , she said ."
    assert apply_edits_to_tokens(line, [TextEdit(0, 1, "We"), TextEdit(8, 12, "see")], PTB) == "We do n't see , he said ."


def test_an_inserted_comma_becomes_its_own_token():
    line = detokenize("For example they can .")
    assert apply_edits_to_tokens(line, [TextEdit(11, 11, ",")], PTB) == "For example , they can ."


def test_tokenize_text_follows_the_corpus_style():
    assert tokenize_text("He said, “I don't know.”", MOSES) == ["He", "said", ",", '"', "I", "don", "'t", "know", ".", '"']
    assert tokenize_text("He said, “I don't know.”", PTB) == ["He", "said", ",", "``", "I", "do", "n't", "know", ".", "''"]
    assert tokenize_text("the U.S. grew 3.5 %", PTB) == ["the", "U.S.", "grew", "3.5", "%"]


def test_style_and_tokenisation_are_detected():
    assert TokenStyle.of(["I do n't know ."]).ptb_clitics
    assert not TokenStyle.of(["I don 't know ."]).ptb_clitics
    assert looks_tokenized(["Hello , world .", "Good ."])
    assert not looks_tokenized(["Hello, world.", "Good."])
