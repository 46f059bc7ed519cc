"""Which references may guide edits: not the target itself, not another event."""

from repair.records import Document
from repair.alignment.references import MIN_COVERAGE, ReferenceCheck, check_reference, same_text
from repair.text.segment import split_sentences

TARGET = (
    "Russia recalls its ambassador to Washington\n"
    "Moscow called its ambassador home after the US president called Putin a killer.\n"
    "The Kremlin said relations were at a dead end.\n"
    "The envoy will return for consultations, the foreign ministry said.\n"
)
SAME_EVENT_BRIEF = "Russia has recalled its envoy to the United States for consultations after Biden's remarks about Putin.\n"
OTHER_EVENT = (
    "Heavy rain flooded streets in Valencia on Tuesday.\n"
    "Train services between Madrid and Valencia were suspended.\n"
    "Farmers reported damage to orange groves along the coast.\n"
)


def doc(name, text):
    return Document(name, name, text, text, split_sentences(text))


def check(embedder, reference_text):
    target, reference = doc("target.txt", TARGET), doc("ref.txt", reference_text)
    vectors = lambda d: embedder.encode([s.text for s in d.sentences])  # noqa: E731
    return check_reference(target, vectors(target), reference, vectors(reference), 0.45)


def test_spacing_alone_does_not_make_texts_different():
    assert same_text("A  b.\nC.", "A b. C.")
    assert not same_text("A b.", "A c.")


def test_the_target_itself_is_identical_and_unused(embedder):
    result = check(embedder, TARGET.replace("\n", "\n\n"))
    assert result.identical and not result.usable
    assert "is identical to the target" in result.note


def test_a_short_brief_on_the_same_event_is_kept(embedder):
    result = check(embedder, SAME_EVENT_BRIEF)
    assert result.usable and result.note is None
    assert result.reference_coverage == 1.0  # its one sentence matches, though it covers little of the target


def test_an_article_on_another_event_is_set_aside_with_its_coverage(embedder):
    result = check(embedder, OTHER_EVENT)
    assert result.off_event and not result.usable
    assert result.note.startswith(f"reference ref.txt supports only {result.supported} of 4 target sentences")
    assert "different event" in result.note


def test_the_threshold_applies_both_ways():
    low_both = ReferenceCheck("r", 10, 1, 10, 1, False)
    low_target_only = ReferenceCheck("r", 10, 1, 2, 2, False)
    assert low_both.coverage < MIN_COVERAGE and low_both.off_event
    assert not low_target_only.off_event
