"""Finding things again in a person's journal.

On PostgreSQL, text is matched and ranked with full-text search (English
stemming, `websearch` syntax, `ts_rank`); entry text has a GIN index on the
same expression. Elsewhere (SQLite in development), every word must appear
and results rank by how often the words occur. Both search entries, FACES
notes, check-in notes and ruptures, newest first when nothing is typed.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import CharField, Exists, Expression, F, FloatField, OuterRef, Value
from django.db.models.functions import Cast, Concat, Length, Lower, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from journal.models import FacesRating, IntegrationCheckIn, JournalEntry, NamedEmotion, Rupture

SEARCH_CONFIG = "english"
MAX_TERMS = 8

# What each kind of thing is searched on.
TEXT_FIELDS = {
    "entry": ("body",),
    "faces": ("note",),
    "checkin": ("note",),
    "rupture": ("relationship", "what_happened", "my_part", "how_it_went"),
}


def search_terms(text: str) -> list[str]:
    words = re.findall(r"[\w'-]+", text.lower())
    return list(dict.fromkeys(word.strip("'-") for word in words if word.strip("'-")))[:MAX_TERMS]


def rough_stem(term: str) -> str:
    """A crude stem for the fallback and for highlighting: rivers, walked and
    walking match river and walk. PostgreSQL's own stemmer does this properly."""
    for suffix, shortest in (("ing", 6), ("ed", 5), ("s", 4)):
        if term.endswith(suffix) and len(term) >= shortest and not term.endswith("ss"):
            return term[: -len(suffix)]
    return term


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def entry_search_vector():
    """The expression the GIN index in migration 0003 is built on; keep them equal."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("body", config=SEARCH_CONFIG)


def match_text(queryset, fields: tuple[str, ...], text: str):
    """Keep rows whose text matches `text`, annotated with `result_rank`."""
    if uses_full_text_search():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        vector = (
            entry_search_vector()
            if fields == TEXT_FIELDS["entry"]
            else SearchVector(*fields, config=SEARCH_CONFIG)
        )
        return (
            queryset.alias(search_vector=vector)
            .filter(search_vector=query)
            .annotate(result_rank=SearchRank(F("search_vector"), query))
        )

    terms = list(dict.fromkeys(rough_stem(term) for term in search_terms(text)))
    if not terms:
        return queryset.none()
    if len(fields) == 1:
        haystack = Lower(fields[0])
    else:
        parts = []
        for field in fields:
            parts += [field, Value(" ")]
        haystack = Lower(Concat(*parts[:-1], output_field=CharField()))
    queryset = queryset.alias(search_text=haystack)
    rank: Expression = Value(0.0, output_field=FloatField())
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
        # How many times the word occurs: the text shrinks by this much without it.
        occurrences = Length("search_text") - Length(Replace("search_text", Value(term)))
        rank = rank + Cast(occurrences, FloatField()) / len(term)
    return queryset.annotate(result_rank=rank)


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
                    journalentry=OuterRef("pk"), tag__name=filters.tag
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


def search_journal(user, filters: JournalFilters):
    """One ordered query over everything of `user`'s that matches `filters`.

    Rows are tuples of RESULT_COLUMNS, best match first (newest first when no
    words are given), ready to paginate; `load_results` turns a page of them
    into objects.
    """
    parts = []
    for kind, source in SOURCES.items():
        if filters.kind and filters.kind != kind:
            continue
        queryset, date_field = source(user, filters)
        if queryset is None:
            continue
        if filters.q:
            queryset = match_text(queryset, TEXT_FIELDS[kind], filters.q)
        else:
            queryset = queryset.annotate(result_rank=Value(0.0, output_field=FloatField()))
        parts.append(
            queryset.annotate(
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


@dataclass
class SearchResult:
    kind: str
    item: object
    rank: float
    excerpt: SafeString


def load_results(rows, terms: list[str]) -> list[SearchResult]:
    """Fetch the objects behind one page of search rows, one query per kind."""
    ids: dict[str, list] = {kind: [] for kind in SOURCES}
    for kind, public_id, *_ in rows:
        ids[kind].append(public_id)
    loaded = {}
    if ids["entry"]:
        for entry in JournalEntry.objects.with_details().filter(public_id__in=ids["entry"]):
            loaded[("entry", entry.public_id)] = entry
    if ids["faces"]:
        for rating in FacesRating.objects.filter(public_id__in=ids["faces"]):
            loaded[("faces", rating.public_id)] = rating
    if ids["checkin"]:
        for check_in in IntegrationCheckIn.objects.filter(public_id__in=ids["checkin"]):
            loaded[("checkin", check_in.public_id)] = check_in
    if ids["rupture"]:
        for rupture in Rupture.objects.prefetch_related("felt").filter(
            public_id__in=ids["rupture"]
        ):
            loaded[("rupture", rupture.public_id)] = rupture
    results = []
    for kind, public_id, _, rank, _ in rows:
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
