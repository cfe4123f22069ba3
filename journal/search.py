"""Finding things again in a person's journal, without the database seeing words.

Text is sealed at rest (vault/), so words are matched through the person's
blind index (vault/blind_index.py): the query's stems are HMAC'd, and the
index gives the rows holding every one of them (and none of the left-out
ones) with how often they occur there, from counts sealed beside the tokens.
So rows are ranked without opening them; only the page's rows are opened, for
excerpts. A quoted phrase opens every row holding its words, to check that
they stand side by side. Query syntax: words (all must appear, in any form:
"walking" finds "walked"), "a quoted phrase" (its words next to each other)
and -word (rows with it are left out). Rank is how often the words occur,
newest first among equals. With nothing typed, everything comes newest
first, straight from the database.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import (
    CharField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Value,
)
from django.db.models.functions import Cast
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from journal.models import (
    FacesRating,
    IntegrationCheckIn,
    JournalEntry,
    NamedEmotion,
    Rupture,
    Tag,
)
from vault.blind_index import (
    occurrences,
    occurs,
    phrase_occurs,
    rows_with_every,
    searchable_stems,
    stem_counts,
    stems_of,
)
from vault.fields import Sealed, SealedFieldMixin

MAX_TERMS = 8

# What each kind of thing is searched on (each model's SEARCH_FIELDS).
TEXT_FIELDS = {
    "entry": JournalEntry.SEARCH_FIELDS,
    "faces": FacesRating.SEARCH_FIELDS,
    "checkin": IntegrationCheckIn.SEARCH_FIELDS,
    "rupture": Rupture.SEARCH_FIELDS,
}


def search_terms(text: str) -> list[str]:
    words = re.findall(r"[\w'-]+", text.lower())
    return list(dict.fromkeys(word.strip("'-") for word in words if word.strip("'-")))[:MAX_TERMS]


def rough_stem(term: str) -> str:
    """A crude stem for highlighting: rivers, walked and walking mark river and walk."""
    for suffix, shortest in (("ing", 6), ("ed", 5), ("s", 4)):
        if term.endswith(suffix) and len(term) >= shortest and not term.endswith("ss"):
            return term[: -len(suffix)]
    return term


@dataclass(frozen=True)
class ParsedQuery:
    """What a search box's text asks for, as stems."""

    required: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    excluded: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> "ParsedQuery":
        phrases = []
        for quoted in re.findall(r'"([^"]*)"', text):
            stems = tuple(stems_of(quoted))
            if len(stems) > 1:
                phrases.append(stems)
        rest = re.sub(r'"([^"]*)"', r" \1 ", text)
        excluded = set()
        for word in re.findall(r"(?:^|\s)-([\w']+)", rest):
            excluded |= searchable_stems(word)
        rest = re.sub(r"(?:^|\s)-[\w']+", " ", rest)
        required = set(list(searchable_stems(rest))[: MAX_TERMS * 2])
        return cls(frozenset(required), tuple(phrases), frozenset(excluded - required))

    def rank(self, text: str) -> float:
        """How well `text` matches (0: it does not): how often its words occur."""
        lowered = text.lower()
        if any(occurrences(lowered, stem) for stem in self.excluded):
            return 0.0
        found = [occurrences(lowered, stem) for stem in self.required]
        if not all(found):
            # The index says every stem is there: a word whose stem does not
            # begin like it ("dying", "die") is counted by stemming every word.
            counts = stem_counts(text)
            found = [counts[stem] for stem in self.required]
            if not all(found):
                return 0.0
        return float(sum(found)) if self.holds_phrases(text) else 0.0

    def holds_phrases(self, text: str) -> bool:
        """Whether each quoted phrase's words stand side by side in `text`."""
        lowered = text.lower()
        for phrase in self.phrases:
            if phrase_occurs(lowered, phrase):
                continue
            if all(occurs(lowered, stem) for stem in set(phrase)):
                return False  # every word of it is there, never side by side
            # A word whose stem begins unlike it: check the phrase on every stem.
            stems = stems_of(text)
            width = len(phrase)
            if not any(tuple(stems[i : i + width]) == phrase for i in range(len(stems))):
                return False
        return True


@dataclass(frozen=True)
class JournalFilters:
    q: str = ""
    kind: str = ""
    emotion: str = ""
    quadrant: str = ""
    tag: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def about_feelings(self) -> bool:
        return bool(self.emotion or self.quadrant)


def _in_dates(queryset, field: str, filters: JournalFilters):
    if filters.date_from:
        queryset = queryset.filter(**{f"{field}__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{field}__lte": filters.date_to})
    return queryset


def _feelings_filter(filters: JournalFilters) -> dict:
    lookups = {}
    if filters.emotion:
        lookups["emotion__word"] = filters.emotion
    if filters.quadrant:
        lookups["emotion__quadrant"] = filters.quadrant
    return lookups


def _entries(user, filters: JournalFilters):
    entries = _in_dates(JournalEntry.objects.for_user(user), "local_date", filters)
    if filters.about_feelings:
        entries = entries.filter(
            Exists(NamedEmotion.objects.filter(entry=OuterRef("pk"), **_feelings_filter(filters)))
        )
    if filters.tag:
        entries = entries.filter(
            Exists(
                JournalEntry.tags.through.objects.filter(
                    journalentry=OuterRef("pk"), tag__in=Tag.objects.with_names(user, [filters.tag])
                )
            )
        )
    return entries, "local_date"


def _ruptures(user, filters: JournalFilters):
    if filters.tag:
        return None, ""
    ruptures = _in_dates(Rupture.objects.for_user(user), "ruptured_on", filters)
    if filters.about_feelings:
        lookups = {
            key.replace("emotion__", "emotionword__"): value
            for key, value in _feelings_filter(filters).items()
        }
        ruptures = ruptures.filter(
            Exists(Rupture.felt.through.objects.filter(rupture=OuterRef("pk"), **lookups))
        )
    return ruptures, "ruptured_on"


def _faces(user, filters: JournalFilters):
    if filters.tag or filters.about_feelings:
        return None, ""
    return _in_dates(FacesRating.objects.for_user(user), "local_date", filters), "local_date"


def _check_ins(user, filters: JournalFilters):
    if filters.tag or filters.about_feelings:
        return None, ""
    return (
        _in_dates(IntegrationCheckIn.objects.for_user(user), "local_date", filters),
        "local_date",
    )


SOURCES = {"entry": _entries, "faces": _faces, "checkin": _check_ins, "rupture": _ruptures}
RESULT_COLUMNS = ("result_kind", "result_id", "result_date", "result_rank", "result_time")


# When a row was written, as the database writes it in text (UTC, one format:
# text order is time order). Only compared, never shown: loading 1,800 of these
# as text takes a fraction of the time datetimes do (7 ms on the search bench).
WRITTEN_AS_TEXT = Cast("created_at", output_field=CharField())


class SearchRow(NamedTuple):
    result_kind: str
    result_id: object
    result_date: date
    result_rank: float
    result_time: datetime | str  # WRITTEN_AS_TEXT when words were matched


def search_journal(user, filters: JournalFilters):
    """Everything of `user`'s that matches `filters`, best match first.

    With words, a list of SearchRows (ranked by the blind index); without, one
    query (newest first), ready to paginate. Either way each row starts with
    RESULT_COLUMNS; `load_results` turns a page of them into results.
    """
    if filters.q:
        return _matching_words(user, filters)
    parts = []
    for kind, source in SOURCES.items():
        if filters.kind and filters.kind != kind:
            continue
        queryset, date_field = source(user, filters)
        if queryset is None:
            continue
        parts.append(
            queryset.annotate(
                result_rank=Value(0.0, output_field=FloatField()),
                result_kind=Value(kind, output_field=CharField()),
                result_id=F("public_id"),
                result_date=F(date_field),
                result_time=F("created_at"),
            )
            .order_by()
            .values_list(*RESULT_COLUMNS)
        )
    if not parts:
        return JournalEntry.objects.none().values_list("public_id")
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-result_rank", "-result_date", "-result_time")


def _matching_words(user, filters: JournalFilters) -> list[SearchRow]:
    query = ParsedQuery.parse(filters.q)
    hits = rows_with_every(user.pk, set(query.required), set(query.excluded))
    rows = []
    for kind, source in SOURCES.items():
        counts = hits.rows.get(kind)
        if (filters.kind and filters.kind != kind) or not counts:
            continue
        queryset, date_field = source(user, filters)
        if queryset is None:
            continue
        # The filters (and the bin) are applied here: the index holds every row.
        queryset = queryset.filter(public_id__in=hits.holding_any(kind))
        if query.phrases:
            # Only the text tells whether the words stand side by side: open them all.
            ranked = _ranked_by_text(user, query, kind, queryset, date_field, counts)
        else:
            # The index's sealed counts rank the rows: only the page's rows are opened.
            places = queryset.values_list("public_id", date_field, WRITTEN_AS_TEXT)
            ranked, uncounted = [], []
            for public_id, day, created_at in places:
                if public_id not in counts:  # holds only some of the words
                    continue
                count = counts[public_id]
                if count is None:
                    uncounted.append(public_id)
                else:
                    ranked.append((public_id, day, created_at, float(count)))
            if uncounted:
                ranked += _ranked_by_text(
                    user, query, kind, queryset.filter(public_id__in=uncounted), date_field, counts
                )
        rows += [
            SearchRow(kind, public_id, day, rank, created_at)
            for public_id, day, created_at, rank in ranked
            if rank
        ]
    rows.sort(key=lambda row: (row.result_rank, row.result_date, row.result_time), reverse=True)
    return rows


def _ranked_by_text(user, query: ParsedQuery, kind: str, queryset, date_field: str, counts):
    """(public id, date, time, rank) of the candidate rows in `queryset`, ranked by their
    opened text: for phrases, and for rows indexed before counts were kept."""
    fields = TEXT_FIELDS[kind]
    model_fields = [queryset.model._meta.get_field(name) for name in fields]
    openers = [
        field.opener(user.pk) if isinstance(field, SealedFieldMixin) else None
        for field in model_fields
    ]
    ranked = []
    for public_id, day, created_at, *texts in queryset.values_list(
        "public_id", date_field, WRITTEN_AS_TEXT, *fields
    ):
        if public_id not in counts:  # holds only some of the words
            continue
        text = "\n".join(
            open_one(public_id, value) if open_one and isinstance(value, Sealed) else value
            for open_one, value in zip(openers, texts, strict=True)
        )
        count = counts[public_id]
        if count is None:
            rank = query.rank(text)
        else:  # the index counted the words: the text is needed for the phrases alone
            rank = float(count) if query.holds_phrases(text) else 0.0
        ranked.append((public_id, day, created_at, rank))
    return ranked


@dataclass
class SearchResult:
    kind: str
    item: object
    rank: float
    excerpt: SafeString


def load_results(user, rows, terms: list[str]) -> list[SearchResult]:
    """The person's objects behind one page of search rows, one query per kind (their
    text is opened here, for the excerpts: only the page's rows are)."""
    ids: dict[str, list] = {kind: [] for kind in SOURCES}
    loaded = {}
    for row in rows:
        ids[row[0]].append(row[1])
    if ids["entry"]:
        for entry in (
            JournalEntry.objects.for_user(user).with_details().filter(public_id__in=ids["entry"])
        ):
            loaded[("entry", entry.public_id)] = entry
    if ids["faces"]:
        for rating in FacesRating.objects.for_user(user).filter(public_id__in=ids["faces"]):
            loaded[("faces", rating.public_id)] = rating
    if ids["checkin"]:
        for check_in in IntegrationCheckIn.objects.for_user(user).filter(
            public_id__in=ids["checkin"]
        ):
            loaded[("checkin", check_in.public_id)] = check_in
    if ids["rupture"]:
        for rupture in (
            Rupture.objects.for_user(user)
            .prefetch_related("felt")
            .filter(public_id__in=ids["rupture"])
        ):
            loaded[("rupture", rupture.public_id)] = rupture
    results = []
    for kind, public_id, _, rank, *_ in rows:
        item = loaded.get((kind, public_id))
        if item is None:  # deleted between the two queries
            continue
        text = "\n".join(
            getattr(item, field) for field in TEXT_FIELDS[kind] if field != "relationship"
        )
        results.append(SearchResult(kind, item, rank, excerpt(text, terms)))
    return results


def excerpt(text: str, terms: list[str], width: int = 240) -> SafeString:
    """A short, escaped piece of `text` around the first match, matches in <mark>."""
    text = " ".join(text.split())
    patterns = [
        re.escape(term[:-1] if len(term) > 3 and term.endswith("s") else term) for term in terms
    ]
    matcher = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None
    start = 0
    first = matcher.search(text) if matcher else None
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    piece = text[start : start + width]
    if start + width < len(text):
        piece = piece[: piece.rfind(" ")] if " " in piece else piece
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + len(piece) < len(text) else ""
    if not matcher:
        return mark_safe(prefix + escape(piece) + suffix)
    out: list[str] = []
    last = 0
    for match in matcher.finditer(piece):
        out.append(escape(piece[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(piece[last:]))
    return mark_safe(prefix + "".join(out) + suffix)
