import pytest

from ipnb_site.templatetags.wording import clock, duration, minutes_in_words


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (45, "45 seconds"),
        (60, "1 minute"),
        (89, "1 minute"),
        (90, "2 minutes"),
        (300, "5 minutes"),
        (3600, "1 hour"),
        (4800, "1 hour 20 minutes"),
        (14400, "4 hours"),
        (None, ""),
    ],
)
def test_durations_read_as_plain_words(seconds, words):
    assert duration(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "reading"), [(0, "0:00"), (0.2, "0:01"), (59.5, "1:00"), (425, "7:05")]
)
def test_the_clock_counts_whole_seconds_up(seconds, reading):
    assert clock(seconds) == reading


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 minutes"),
        (29, "0 minutes"),
        (31, "1 minute"),
        (120, "2 minutes"),
        (3600, "1 hour"),
        (3660, "1 hour 1 minute"),
        (7500, "2 hours 5 minutes"),
        (None, "0 minutes"),
    ],
)
def test_minutes_in_words_round_to_whole_minutes(seconds, words):
    assert minutes_in_words(seconds) == words
