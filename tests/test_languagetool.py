"""The real LanguageTool server: started from the Maven jars, checked, stopped."""

import pytest

from repair.errors import SetupError
from repair.engines.grammar import MAX_REQUEST_CHARS, GrammarChecker, known_spelling, request_spans, vocabulary
from repair.engines.languagetool import LanguageToolServer, is_alive, server_version
from repair.records import Document, GrammarMatch
from repair.text.segment import MAX_SENTENCE_CHARS, split_sentences


def test_server_starts_answers_and_stops():
    server = LanguageToolServer()
    with server:
        assert server.url.startswith("http://127.0.0.1:")
        assert is_alive(server.url)
        assert server_version(server.url)[0].isdigit()
    assert not server.running
    assert not is_alive(server.url, timeout=0.5)


def test_missing_jars_are_a_setup_error(tmp_path):
    with pytest.raises(SetupError, match="run `mtrepair setup`"):
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


def spelling_alarm(text, word):
    start = text.index(word)
    return GrammarMatch("SPELL", "Possible spelling mistake", "TYPOS", "misspelling", start, start + len(word), (), 0)


def test_only_names_and_terms_of_the_references_silence_spelling_alarms():
    known = vocabulary(["Their fans cheered as Zenit won. Zenith Bank and Antonov."])
    # rare words (by wordfreq) that a reference uses: names and terms, dropped wherever they stand
    assert known_spelling(spelling_alarm("Zenit won the cup.", "Zenit"), "Zenit won the cup.", known)
    assert known_spelling(spelling_alarm("He met Antonov.", "Antonov"), "He met Antonov.", known)
    # a common word is no name just because a reference uses it, least of all at a sentence start
    assert not known_spelling(spelling_alarm("Their is a problem.", "Their"), "Their is a problem.", known)
    assert not known_spelling(spelling_alarm("So. “Their is", "Their"), "So. “Their is", known)
    # capitalised inside a sentence, a common word is read as a name (Bank of England, Zenith Bank)
    assert known_spelling(spelling_alarm("He owns Zenith now.", "Zenith"), "He owns Zenith now.", known)
    # words no reference uses, and alarms that are not about spelling, always stay
    assert not known_spelling(spelling_alarm("He met Antonow.", "Antonow"), "He met Antonow.", known)
    grammar = GrammarMatch("R", "m", "GRAMMAR", "grammar", 0, 5, (), 0)
    assert not known_spelling(grammar, "Zenit won.", known)


def test_a_common_word_used_by_the_reference_is_still_checked(languagetool_url):
    document = doc("Their is a problem with the plan.")
    known = vocabulary(["Their plan was different."])
    matches = GrammarChecker(languagetool_url).check(document, known).matches
    assert any(document.text[m.start : m.end].startswith("Their") for m in matches)


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


def test_an_over_long_sentence_is_cut_into_pieces_that_requests_hold_whole():
    document = doc(" ".join(["word"] * 3000))  # no punctuation: cut into pieces of at most 2,000 characters
    spans = request_spans(document)
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in ((s.start, s.end) for s in document.sentences))
    # Requests hold whole pieces, at most MAX_REQUEST_CHARS each, and cover every piece once, in order.
    starts, ends = {s.start for s in document.sentences}, {s.end for s in document.sentences}
    assert all(start in starts and end in ends and end - start <= MAX_REQUEST_CHARS for start, end in spans)
    assert spans[0][0] == 0 and spans[-1][1] == document.sentences[-1].end
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
