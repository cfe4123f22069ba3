"""How long bringing a Daylio file takes, against our own JSON import of the same entries.

    python bench/history_import.py [--rows 5000] [--rounds 3]

On a throwaway copy of the configured database: a Daylio CSV of N rows (three
entries a day, activities and notes) is read, planned and imported for a fresh
account; the baseline, in the same run and taken in turn with it, is the JSON
import of an export holding exactly those entries (with their feelings and
tags) into another fresh account. Prints the median seconds of each and the
ratio to the baseline.
"""

import argparse
import statistics
import time
from datetime import date

from common import scratch_database, setup_django


def daylio_csv(rows: int) -> bytes:
    lines = ["full_date,date,weekday,time,mood,activities,note_title,note"]
    last = date(2026, 11, 20).toordinal()
    moods = ["rad", "good", "meh", "bad", "awful"]
    for n in range(rows):
        day = date.fromordinal(last - n // 3)
        lines.append(
            f"{day},,,{8 + n % 3 * 5}:{n % 60:02},{moods[n % 5]},walk | tea {n % 9} | friends,"
            f'"Title {n}","A note, with a comma, number {n}."'
        )
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup_django()

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from accounts.models import User
    from journal.models import EmotionWord
    from journal.vocabulary import sync_vocabulary
    from portability.csv_reading import read_csv_file
    from portability.export import export_json
    from portability.history_files import apply_history, plan_history, refuse_problems
    from portability.importing import apply_plan, plan_import
    from portability.reading import read_export

    content = daylio_csv(args.rows)
    with scratch_database():
        sync_vocabulary(EmotionWord)
        made = User.objects.create_user("source@example.com", "x", timezone="Europe/Berlin")

        def import_csv(user) -> int:
            table = read_csv_file(SimpleUploadedFile("daylio.csv", content, "text/csv"))
            payload = {"header": table.header, "rows": table.rows}
            with transaction.atomic():
                plan = plan_history(user, "daylio", payload)
                refuse_problems(plan)
                return apply_history(user, plan)

        added = import_csv(made)
        exported = export_json(made)
        exported = exported if isinstance(exported, bytes) else exported.encode()

        def import_json(user) -> int:
            data = read_export(SimpleUploadedFile("riverwise.json", exported, "application/json"))
            with transaction.atomic():
                plan = plan_import(user, data, restore_settings=False)
                apply_plan(plan)
            return plan.kinds["journal_entries"].new.__len__()

        csv_times: list[float] = []
        json_times: list[float] = []
        for round_number in range(args.rounds):
            for name, run, times in (
                ("csv", import_csv, csv_times),
                ("json", import_json, json_times),
            ):
                user = User.objects.create_user(
                    f"{name}{round_number}@example.com", "x", timezone="Europe/Berlin"
                )
                started = time.perf_counter()
                count = run(user)
                times.append(time.perf_counter() - started)
                assert count == added, (name, count, added)
        csv_median, json_median = statistics.median(csv_times), statistics.median(json_times)
        print(f"{args.rows} Daylio rows -> {added} entries, {args.rounds} rounds taken in turn")
        print(f"JSON import of the same entries (baseline): {json_median:.2f} s")
        print(f"Daylio CSV read, planned and imported:      {csv_median:.2f} s")
        print(f"ratio to the baseline: x{csv_median / json_median:.2f}")


if __name__ == "__main__":
    main()
