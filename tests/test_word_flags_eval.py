"""The word-flags evaluation's margin choice and totals (pure logic, on made-up events)."""

from evaluation.word_flags import Candidate, EventWords, choose_margin, markdown, measure, pooled


def event(slug, gains_right, eligible=50, swapped=20):
    candidates = tuple(Candidate(slug, gain, right, right, right) for gain, right in gains_right)
    return EventWords(slug, 1, eligible, swapped, candidates)


def test_pooled_counts_flags_at_or_above_the_margin():
    e = event("a", [(1.0, False), (2.0, True), (3.0, True)])
    row = pooled([e], 2.0)
    assert (row["flags"], row["right"], row["precision"], row["recall"], row["base_rate"]) == (2, 2, 1.0, 0.1, 0.4)
    assert pooled([e], 10)["precision"] is None


def test_the_margin_is_the_smallest_with_enough_precise_flags():
    wrong_low = [(1.0, False)] * 10 + [(2.0, True)] * 30
    assert choose_margin([event("a", wrong_low)]) == 1.25
    assert choose_margin([event("a", [(2.0, True)] * 5)]) == 6.0  # too few flags anywhere: the largest margin


def test_each_event_is_scored_at_the_margin_chosen_on_the_others():
    good = [event(s, [(1.0, False)] * 3 + [(2.0, True)] * 12) for s in "abc"]
    odd = event("d", [(1.2, False)] * 3 + [(2.5, True)])
    result = measure([*good, odd])
    rows = {r["event"]: r for r in result["rows"]}
    assert rows["d"]["margin"] == 1.25 and rows["d"]["flags"] == 1 and rows["d"]["right"] == 1
    loo = result["leave_one_event_out"]
    assert loo["flags"] == sum(r["flags"] for r in result["rows"]) and loo["precision"] == 1.0
    assert "leave one event out" in markdown(result)
