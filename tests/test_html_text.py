"""HTML and Markdown articles become plain text with one paragraph a line."""

import pytest

from repair.text.articles import prepare_article, read_any_article
from repair.errors import InputError
from repair.text.html_text import html_to_text, markdown_to_text

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Biden calls Putin a killer | News</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Biden calls Putin a “killer”</h1>
<p>US President Joe Biden said in an interview with ABC that he considers Russian President Vladimir Putin a killer.</p>
<p>Russia recalled its ambassador Anatoly Antonov for consultations &amp; talks.</p></article>
<footer>Copyright 2021. Back to top</footer></body></html>"""


def test_html_keeps_the_article_and_drops_the_page_around_it():
    assert html_to_text(PAGE) == (
        "Biden calls Putin a “killer”\n"
        "US President Joe Biden said in an interview with ABC that he considers Russian President Vladimir Putin a killer.\n"
        "Russia recalled its ambassador Anatoly Antonov for consultations & talks."
    )


def test_an_html_fragment_is_read_too():
    assert html_to_text("<p>One short paragraph.</p><p>And <b>another</b> one.</p>") == (
        "One short paragraph.\nAnd another one."
    )


def test_markdown_keeps_the_words_of_headings_paragraphs_and_items():
    text = markdown_to_text(
        "# The *headline*\n\nA paragraph with a [link](http://example.org) and `code`\nwrapped over two lines.\n\n"
        "- first item\n- second item\n\n```\nprint('not prose')\n```\n"
    )
    assert text == (
        "The headline\nA paragraph with a link and code wrapped over two lines.\nfirst item\nsecond item"
    )


def test_files_are_read_by_their_suffix(tmp_path):
    (tmp_path / "a.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "a.md").write_text("# Title\n\nBody text.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("# Title\n", encoding="utf-8")
    html = read_any_article(tmp_path / "a.html")
    assert html.text.startswith("Biden calls Putin") and "took the text of the HTML" in html.fixes
    assert read_any_article(tmp_path / "a.md").text == "Title\nBody text."
    assert read_any_article(tmp_path / "a.txt").text == "# Title\n"  # plain text is left as it is
    assert prepare_article(tmp_path / "a.html").document.sentences[0].text == "Biden calls Putin a “killer”"


def test_a_page_without_text_is_an_input_error(tmp_path):
    path = tmp_path / "target.html"
    path.write_text("<html><head><title>Empty</title></head><body><script>var x = 1;</script><img src='a.png'></body></html>")
    with pytest.raises(InputError, match="target.html: has no article text in its HTML"):
        read_any_article(path)
