"""Hypothesis strategies for what a hostile or careless client might send."""

from hypothesis import strategies as st

NASTY_STRINGS = [
    "",
    " ",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "\x00",
    "a\x00b",
    "\u202e\u200b\ufeff",
    "𝕏" * 300,
    "x" * 20_000,
    "-1",
    "-2147483649",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "２０２６-０１-０１",
    "25:61",
    "true",
    "[]",
    "{}",
]

hostile_value = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.text(max_size=200),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates(min_value=__import__("datetime").date(1, 1, 1)).map(str),
)


def hostile_form(fields: list[str]):
    """Any subset of the fields, each with one or several hostile values."""
    value = st.one_of(hostile_value, st.lists(hostile_value, min_size=2, max_size=3))
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, value))


def markup_survived(html: str) -> bool:
    """True if a payload we sent came back as live markup rather than text."""
    return "<script>alert(1)" in html or "<img src=x onerror" in html


def _as_posted(value):
    return value if isinstance(value, list) else str(value)


def form_of(**fields):
    """Any subset of the fields, each hostile or (with the strategy given) a sensible value.

    Sensible values let a form get past its first field, so the deeper checks and the
    saving code meet the hostile values too. A field given None only ever gets hostile ones.
    """
    hostile = st.one_of(hostile_value, st.lists(hostile_value, min_size=2, max_size=3))
    optional = {
        name: hostile if good is None else st.one_of(good.map(_as_posted), hostile)
        for name, good in fields.items()
    }
    return st.fixed_dictionaries({}, optional=optional)


# Names a client might invent, alongside the real fields.
extra_fields = st.dictionaries(
    st.one_of(
        st.sampled_from(["id", "user", "user_id", "pk", "deleted_at", "intensity-"]),
        st.text(max_size=30),
    ),
    hostile_value,
    max_size=3,
)

# Values a JSON file can hold. (Python also reads NaN and Infinity, which JSON has not:
# tests/fuzz/test_hostile_other.py tries those on their own.)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(NASTY_STRINGS)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
