"""Properties that must hold for any text: offsets always map back exactly.

Cleaning, segmentation and applying proposals all report positions; if any of
them drifted by one character on some odd input, every later stage would
point at the wrong words. Hypothesis generates the odd inputs: quotes of every
kind, runs of spaces and newlines, punctuation, accents, CJK and emoji.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair.decide.apply import apply_edits
from repair.text.clean import clean_text
from repair.records import Evidence, Proposal
from repair.text.segment import MAX_SENTENCE_CHARS, split_sentences

PIECES = st.sampled_from(
    [
        "The", "president", "said", "Dr.", "U.S.", "“", "”", '"', "'", "’", " ", "  ", "\t", "\n", "\n\n",
        ".", ",", "!", "?", ";", ":", "(", ")", "…", "—", "Back to top", "Share", "Read more:", "é", "Ünïcödé",
        "北京", "🙂", "123", "3.5", "e.g.", " “ murder ” ", " . ", "Mr. Smith arrived.", "\r", "\u2028", "\u200f",
    ]
)
TEXTS = st.one_of(
    st.lists(PIECES, max_size=60).map("".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXTS)
def test_cleanup_edits_replayed_on_the_source_give_the_cleaned_text(source):
    cleaned, edits = clean_text(source)
    rebuilt, cursor = [], 0
    for edit in edits:
        assert cursor <= edit.source_start <= edit.source_end <= len(source)
        assert source[edit.source_start : edit.source_end] == edit.original
        assert cleaned[edit.start : edit.end] == edit.replacement
        rebuilt.append(source[cursor : edit.source_start] + edit.replacement)
        cursor = edit.source_end
    rebuilt.append(source[cursor:])
    assert "".join(rebuilt) == cleaned


@FAST
@given(TEXTS)
def test_sentence_offsets_are_exact_ordered_and_disjoint(text):
    sentences = split_sentences(text)
    previous_end = 0
    for number, sentence in enumerate(sentences):
        assert sentence.index == number
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip() and sentence.text
        assert previous_end <= sentence.start < sentence.end
        assert len(sentence.text) <= MAX_SENTENCE_CHARS
        previous_end = sentence.end
    covered = [False] * len(text)
    for s in sentences:
        covered[s.start : s.end] = [True] * (s.end - s.start)
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text)), "only whitespace may fall between sentences"


@st.composite
def text_and_proposals(draw):
    """A cleaned text and non-overlapping proposals, each matching the text it was made for."""
    text = draw(st.lists(PIECES, min_size=1, max_size=40).map("".join))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    proposals = []
    for n, (start, end) in enumerate(zip(cuts[::2], cuts[1::2])):
        replacement = draw(st.sampled_from(["", "a", "the", "“killer”", "  ", "X"]))
        if text[start:end] == replacement:
            continue
        proposals.append(
            Proposal(f"P{n:04d}", "grammar", None, start, end, text[start:end], replacement, "r", Evidence(), 0.8)
        )
    return text, proposals


@FAST
@given(text_and_proposals(), st.data())
def test_applying_then_rejecting_every_proposal_returns_the_cleaned_text(case, data):
    text, proposals = case
    accepted = data.draw(st.lists(st.sampled_from(proposals), unique_by=lambda p: p.id) if proposals else st.just([]))
    applied = apply_edits(text, accepted)
    assert sorted(p.id for p in applied.applied) == sorted(p.id for p in accepted)
    # Undo each applied edit, right to left, at the position it now has in the new text.
    undone = applied.text
    shift = 0
    positions = []
    for p in sorted(applied.applied, key=lambda p: p.start):
        positions.append((p.start + shift, p))
        shift += len(p.replacement) - (p.end - p.start)
    for start, p in reversed(positions):
        assert undone[start : start + len(p.replacement)] == p.replacement
        undone = undone[:start] + p.original + undone[start + len(p.replacement) :]
    assert undone == text
    # Rejecting every proposal is applying none of them.
    assert apply_edits(text, []).text == text
