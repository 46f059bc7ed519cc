"""The real LanguageTool server: started from the Maven jars, checked, stopped."""

import pytest

from repair.errors import SetupError
from repair.grammar import GrammarChecker, vocabulary
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
