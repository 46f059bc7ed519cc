"""The real LanguageTool server: started from the Maven jars, checked, stopped."""

import pytest

from repair.errors import SetupError
from repair.grammar import MAX_REQUEST_CHARS, GrammarChecker, request_spans, vocabulary
from repair.languagetool import LanguageToolServer, is_alive, server_version
from repair.records import Document
from repair.segment import split_sentences


def test_server_starts_answers_and_stops():
    server = LanguageToolServer()
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert is_alive(server.url)
        assert server_version(server.url)[0].isdigit()
    assert not server.running
    assert not is_alive(server.url, timeout=0.5)


def test_missing_jars_are_a_setup_error(tmp_path):
    with pytest.raises(SetupError, match="make languagetool"):
        LanguageToolServer(home=tmp_path).start()


def doc(text):
    return Document("t", "t", text, text, split_sentences(text))


def test_grammar_matches_point_into_the_text(languagetool_url):
    document = doc("Headline here\nHe have a car. She go home.\n\nThis is fine.")
    result = GrammarChecker(languagetool_url).check(document)
    originals = [document.text[m.start : m.end] for m in result.matches]
    assert "have" in " ".join(originals)
    assert all(m.sentence_index is not None for m in result.matches)
    assert result.skipped_sentences == []


def test_reference_words_are_not_spelling_errors(languagetool_url):
    document = doc("The ambassador Anatoly Antonov was recalled.")
    checker = GrammarChecker(languagetool_url)
    assert any(m.issue_type == "misspelling" for m in checker.check(document).matches)
    known = vocabulary(["Russia recalled Anatoly Antonov."])
    assert not any(m.issue_type == "misspelling" for m in checker.check(document, known).matches)


def test_long_paragraphs_are_sent_in_pieces_cut_between_sentences():
    sentence = "The minister said the talks would go on. "
    paragraph = (sentence * 200).strip()  # about 8,000 characters, one line
    document = doc("Headline\n" + paragraph + "\nShort end.")
    spans = request_spans(document)
    assert spans[0] == (0, len("Headline")) and document.text[spans[-1][0] : spans[-1][1]] == "Short end."
    middle = spans[1:-1]
    assert len(middle) >= 3 and all(end - start <= MAX_REQUEST_CHARS for start, end in middle)
    starts = {s.start for s in document.sentences}
    assert all(start in starts for start, _ in middle)  # every piece begins at a sentence
    assert "".join(document.text[a:b] for a, b in middle).replace(" ", "") == paragraph.replace(" ", "")


def test_one_over_long_sentence_is_its_own_request():
    document = doc(" ".join(["word"] * 3000))  # no punctuation: cut into pieces of at most 2,000 characters
    spans = request_spans(document)
    assert [(s.start, s.end) for s in document.sentences] == spans
