"""Reading articles: UTF-8 in, clean unicode out, and clear errors for bad files."""

import pytest

from repair.errors import InputError
from repair.text.load import decode_article, looks_like_html, read_article


def test_utf8_text_is_read_unchanged(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Biden called Putin a “killer”.\n", encoding="utf-8")
    loaded = read_article(path)
    assert loaded.text == "Biden called Putin a “killer”.\n"
    assert loaded.encoding == "utf-8"
    assert loaded.fixes == ()


def test_curly_quotes_are_kept():
    assert "“" in decode_article("a “ murder ” b".encode()).text


def test_byte_order_mark_is_removed_and_said():
    loaded = decode_article(b"\xef\xbb\xbfHello there.")
    assert loaded.text == "Hello there."
    assert any("byte-order mark" in fix for fix in loaded.fixes)


def test_mojibake_is_repaired():
    loaded = decode_article("The sÃ©ance began.".encode("utf-8"))
    assert loaded.text == "The séance began."
    assert loaded.fixes


def test_legacy_encoding_is_detected():
    text = "Le président a déclaré que la réunion était très importante pour l’économie. " * 3
    loaded = decode_article(text.encode("cp1252"))
    assert loaded.text.startswith("Le président")
    assert "decoded from" in loaded.fixes[0]


def test_latin1_text_is_read_as_cp1252_not_guessed():
    text = "The café opened on Monday, and the naïve résumé was read aloud.\n"
    loaded = decode_article(text.encode("latin-1"))
    assert loaded.text == text
    assert loaded.fixes == ("decoded from cp1252",)


def test_cp1252_typographic_quotes_survive():
    text = "The mayor said “it was wonderful” — and the café opened.\n"
    assert decode_article(text.encode("cp1252")).text == text


def test_mixed_utf8_and_cp1252_lines_both_read_right():
    data = "The café said “yes”.\n".encode() + "The naïve fiancée said “no”.\n".encode("cp1252")
    loaded = decode_article(data)
    assert loaded.text == "The café said “yes”.\nThe naïve fiancée said “no”.\n"
    assert loaded.fixes == ("decoded from mixed UTF-8 and cp1252",)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_with_byte_order_marks_are_read(encoding):
    assert decode_article("Russia said “no”.".encode(encoding)).text == "Russia said “no”."


def test_a_cyrillic_code_page_is_detected_and_named():
    text = "Президент России заявил, что переговоры продолжатся на следующей неделе в Женеве. " * 4
    loaded = decode_article(text.encode("cp1251"))
    assert loaded.text.startswith("Президент России")
    assert loaded.fixes == ("decoded from cp1251",)


def test_undetectable_bytes_are_refused():
    with pytest.raises(InputError, match="encoding could not be detected"):
        decode_article(bytes(range(128, 256)) * 20, "x.txt")


def test_line_and_paragraph_separators_become_newlines():
    assert decode_article("One.\u2028Two.\u2029Three.\r\nFour.".encode()).text == "One.\nTwo.\nThree.\nFour."


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi.</p></body></html>",
        "<!-- saved page -->\n<html lang='en'><body>Hi.</body></html>",
        "<p>The president spoke.</p>\n<p>He left.</p>\n<p>Then rain.</p>\n",
        "<div><span>a</span><b>b</b><i>c</i><em>d</em><u>e</u></div>",
    ],
)
def test_html_is_recognised(text):
    assert looks_like_html(text)


@pytest.mark.parametrize(
    "text",
    [
        "The minister wrote <script>alert(1)</script> in a post, and the page broke.\nHe apologised.",
        "Use 3 < 4 and 5 > 2 in class.\nThe <b>bold</b> word stayed.",
    ],
)
def test_a_few_tags_inside_prose_are_just_text(text):
    assert not looks_like_html(text)


def test_an_html_file_named_txt_is_refused(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("<!DOCTYPE html>\n<html><body><p>Russia recalled its envoy.</p></body></html>")
    with pytest.raises(InputError, match="looks like HTML"):
        read_article(path)


def test_a_german_article_is_refused_with_its_language(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text(
        "Der russische Präsident hat am Montag seinen Botschafter aus Washington zurückgerufen. "
        "Die Beziehungen seien in einer Sackgasse, sagte ein Sprecher des Kremls in Moskau."
    )
    with pytest.raises(InputError, match="is in German, not English"):
        read_article(path)


def test_control_and_direction_marks_are_dropped():
    loaded = decode_article("Moscow\u200f said\x07 no.\r\nNext".encode())
    assert loaded.text == "Moscow said no.\nNext"


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "is empty"), (b"  \n\t ", "only whitespace"), (b"\x00\x01\x02binary\x00", "binary")],
)
def test_unusable_bytes_are_refused(content, problem):
    with pytest.raises(InputError, match=problem):
        decode_article(content, "x.txt")


def test_missing_file_and_directory_are_named(tmp_path):
    with pytest.raises(InputError, match="no such file") as missing:
        read_article(tmp_path / "nope.txt")
    assert "nope.txt" in str(missing.value)
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    with pytest.raises(InputError, match="limit"):
        read_article(path, max_bytes=100)


def test_the_size_limit_can_be_raised_for_a_long_article(tmp_path, monkeypatch):
    article = tmp_path / "long.txt"
    article.write_text("The minister said the talks went well.\n" * 30_000, encoding="utf-8")  # 1.17 MB
    with pytest.raises(InputError, match="the limit for one article is 1,000,000 bytes"):
        read_article(article)
    monkeypatch.setenv("MTREPAIR_MAX_ARTICLE_BYTES", "2000000")
    assert read_article(article).text.count("\n") == 30_000
