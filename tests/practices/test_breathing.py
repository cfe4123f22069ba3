import pytest

from practices import breathing


def seconds(parameters):
    return [(phase.label, round(phase.seconds, 2)) for phase in breathing.phases_for(parameters)]


def test_box_breathing_is_four_even_sides():
    assert seconds({"pattern": "box"}) == [
        ("Breathe in", 4),
        ("Hold", 4),
        ("Breathe out", 4),
        ("Hold", 4),
    ]


def test_four_seven_eight_holds_for_seven_and_breathes_out_for_eight():
    assert seconds({"pattern": "4-7-8"}) == [("Breathe in", 4), ("Hold", 7), ("Breathe out", 8)]


def test_cyclic_sighing_is_a_double_breath_in_and_a_longer_breath_out():
    phases = breathing.phases_for({"pattern": "cyclic-sighing"})
    assert [phase.kind for phase in phases] == ["in", "in", "out"]
    assert phases[2].seconds > phases[0].seconds + phases[1].seconds


@pytest.mark.parametrize("rate", [4.5, 5.5, 6, 7])
def test_resonance_breathing_fits_the_chosen_breaths_into_a_minute(rate):
    phases = breathing.phases_for({"pattern": "resonance", "breaths_per_minute": rate})
    assert [phase.kind for phase in phases] == ["in", "out"]
    assert phases[0].seconds == phases[1].seconds
    assert sum(phase.seconds for phase in phases) * rate == pytest.approx(60)


def test_a_custom_pattern_leaves_out_holds_of_zero_seconds():
    custom = {"pattern": "custom", "inhale": 3, "hold_in": 0, "exhale": 5, "hold_out": 2}
    assert seconds(custom) == [("Breathe in", 3), ("Breathe out", 5), ("Hold", 2)]


def test_the_pacer_grows_on_the_breath_in_and_shrinks_on_the_breath_out():
    for key in breathing.PATTERNS:
        parameters = {"pattern": key, "inhale": 4, "exhale": 4}
        for phase in breathing.phases_for(parameters):
            if phase.kind == "out":
                assert phase.size == breathing.EMPTY
            if phase.label == "Breathe in":
                assert phase.size > breathing.EMPTY


def test_patterns_are_described_in_words_for_pages_without_the_pacer():
    assert breathing.describe({"pattern": "4-7-8"}) == (
        "Breathe in for 4 seconds, hold for 7 seconds, breathe out for 8 seconds."
    )
    assert breathing.describe({"pattern": "resonance", "breaths_per_minute": 6}) == (
        "Breathe in for 5 seconds, breathe out for 5 seconds."
    )
    assert breathing.name_for({"pattern": "resonance", "breaths_per_minute": 6.5}) == (
        "Resonance breathing, 6.5 breaths a minute"
    )


def test_the_wording_claims_no_more_than_the_evidence():
    # 4-7-8 has no trial behind it; resonance differs per person; the sighing
    # study is cited as one study.
    assert "haven't found a trial" in breathing.PATTERNS["4-7-8"].about
    assert "differs from person to person" in breathing.PATTERNS["resonance"].about
    assert "Balban" in breathing.PATTERNS["cyclic-sighing"].about
    assert "one study" in breathing.PATTERNS["cyclic-sighing"].about
