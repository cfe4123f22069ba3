"""Reading another app's CSV file: its text encoding, its rows, and which app it
came from (by its header). What the rows mean is history_files.py's job.

Spreadsheet programs save CSV in several ways: UTF-8 with or without a byte
order mark, UTF-16 ("Unicode text" in Excel, often with tabs), commas or
semicolons. Those are read; any other encoding is refused with a way out,
because guessing one would silently turn a person's words into nonsense.
"""

import csv
import io
from dataclasses import dataclass

from portability.reading import IMPORT_MAX_BYTES, ImportProblem

# The most rows one file may hold (five years of Daylio at several entries a day).
CSV_MAX_ROWS = 20_000
# A cell longer than a whole journal entry can't become one.
CSV_MAX_CELL = 60_000

DAYLIO_COLUMNS = (
    "full_date",
    "date",
    "weekday",
    "time",
    "mood",
    "activities",
    "note_title",
    "note",
)
# Daylio's older export has no note title.
DAYLIO_OLD_COLUMNS = tuple(name for name in DAYLIO_COLUMNS if name != "note_title")
# Bearable's export, as we understand it (see the README): one row per reading.
BEARABLE_NEEDS = {"category", "rating/amount", "detail"}

NOTHING_IMPORTED = "Nothing was imported."


@dataclass
class CsvTable:
    """A file's header and its rows, each with its row number as a spreadsheet shows it."""

    header: list[str]
    rows: list[tuple[int, list[str]]]

    @property
    def names(self) -> list[str]:
        return [name.strip().lower() for name in self.header]

    def source(self) -> str:
        """Which app wrote the file, by its header: daylio, bearable or columns."""
        names = self.names
        if tuple(names) in (DAYLIO_COLUMNS, DAYLIO_OLD_COLUMNS):
            return "daylio"
        if set(names) >= BEARABLE_NEEDS and ("date formatted" in names or "date" in names):
            return "bearable"
        return "columns"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_csv_file(upload) -> CsvTable:
    """The file's header and rows; ImportProblem saying why not, in words."""
    if upload.size > IMPORT_MAX_BYTES:
        raise ImportProblem(
            f"This file is {_megabytes(upload.size)}, and the most we can import at once is "
            f"{_megabytes(IMPORT_MAX_BYTES)}. {NOTHING_IMPORTED}"
        )
    raw = upload.read(IMPORT_MAX_BYTES + 1)
    if len(raw) > IMPORT_MAX_BYTES:
        raise ImportProblem(
            f"This file is larger than {_megabytes(IMPORT_MAX_BYTES)}, the most we can import "
            f"at once. {NOTHING_IMPORTED}"
        )
    text = decode(raw)
    if not text.strip():
        raise ImportProblem(f"This file is empty. {NOTHING_IMPORTED}")
    if text.lstrip().startswith("{"):
        raise ImportProblem(
            "This looks like a Riverwise export (JSON). Use “Import a copy” above for it. "
            + NOTHING_IMPORTED
        )
    return parse(text)


def decode(raw: bytes) -> str:
    if raw.startswith(b"PK"):
        raise ImportProblem(
            "This is a zip file. Unzip it first and choose the .csv file inside. "
            + NOTHING_IMPORTED
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif raw[:2].count(0) == 1 and len(raw) >= 4:
        # UTF-16 without its mark: every other byte of plain text is zero.
        encoding = "utf-16-le" if raw[1] == 0 else "utf-16-be"
    else:
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise ImportProblem(
            "We couldn't read the letters in this file: it isn't saved as UTF-8 or UTF-16. "
            "In your spreadsheet program, save it again as “CSV UTF-8” and upload that. "
            + NOTHING_IMPORTED
        ) from None
    if "\x00" in text:
        raise ImportProblem(
            "This file contains characters that can't be stored (a NUL), so it can't be "
            f"imported. Is it really a CSV file? {NOTHING_IMPORTED}"
        )
    return text


def _delimiter(first_line: str) -> str:
    # Spreadsheets in many countries write semicolons; Excel's "Unicode text" tabs.
    counts = {mark: first_line.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def parse(text: str) -> CsvTable:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    number = 0
    try:
        for cells in reader:
            number += 1
            if header is None:
                header = [cell.strip().lstrip("\ufeff") for cell in cells]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            if any(len(cell) > CSV_MAX_CELL for cell in cells):
                raise ImportProblem(
                    f"Row {number} holds a cell longer than {CSV_MAX_CELL:,} characters, "
                    f"more than an entry can keep. {NOTHING_IMPORTED}"
                )
            rows.append((number, [cell.replace("\r\n", "\n") for cell in cells]))
            if len(rows) > CSV_MAX_ROWS:
                raise ImportProblem(
                    f"This file has more than {CSV_MAX_ROWS:,} rows, the most we can import "
                    f"at once. Split it into smaller files and import them one by one. "
                    + NOTHING_IMPORTED
                )
    except csv.Error as error:
        raise ImportProblem(
            f"Row {number + 1} can't be read as CSV ({_csv_error_in_words(error)}). "
            + NOTHING_IMPORTED
        ) from None
    if not header or not any(header):
        raise ImportProblem(f"This file has no header row naming its columns. {NOTHING_IMPORTED}")
    if not rows:
        raise ImportProblem(f"This file has a header but no rows. {NOTHING_IMPORTED}")
    width = len(header)
    for number, cells in rows:
        extra = [cell for cell in cells[width:] if cell.strip()]
        if extra:
            raise ImportProblem(
                f"Row {number} has {len(cells)} cells, but the header names {width} columns. "
                "A note with a comma in it needs quotes around it. " + NOTHING_IMPORTED
            )
        cells[:] = (cells + [""] * width)[:width]
    return CsvTable(header, rows)


def _csv_error_in_words(error: csv.Error) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return "a cell is far too long"
    if "unexpected end of data" in message or "EOF" in message:
        return "a quote is opened and never closed"
    return "a quote in the middle of a cell"
