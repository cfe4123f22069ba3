"""The blind index's word checks on opened text, which a phrase search runs on every
candidate row: `occurs` answers as `occurrences` does, stopping at the first."""

import pytest

from vault.blind_index import occurrences, occurs, stem

TEXT = "we were dying to go. the river's edge, happily walking; happiness came later."


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("walked", True),  # another form of a word in the text
        ("happy", True),  # a stem whose last letter changes ("happi")
        ("river", True),  # a word with an apostrophe after it
        ("die", False),  # its stem begins unlike "dying": the caller stems every word
        ("wall", False),  # begins like "walking", but another word
        ("heron", False),
    ],
)
def test_occurs_is_whether_occurrences_finds_any(word, expected):
    assert occurs(TEXT, stem(word)) is expected
    assert occurs(TEXT, stem(word)) == (occurrences(TEXT, stem(word)) > 0)
