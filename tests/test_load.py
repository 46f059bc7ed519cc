"""Reading articles: UTF-8 in, clean unicode out, and clear errors for bad files."""

import pytest

from repair.errors import InputError
from repair.load import decode_article, read_article


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
