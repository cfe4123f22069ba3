from datetime import date

import pytest

from progress import charts, heatmap


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value():
    assert [charts.nice_ceiling(v) for v in (0, 3, 10, 11, 21, 26, 480, 1001)] == [
        10,
        5,
        10,
        20,
        25,
        50,
        500,
        2000,
    ]


def test_a_missing_value_breaks_the_line_and_a_lone_value_is_a_dot():
    frame = charts.line_chart(
        [("FACES", "line-faces", [3, 4, None, 2, None])],
        list("abcde"),
        list("ABCDE"),
        1,
        5,
        (1, 3, 5),
    )
    (line,) = frame.lines
    assert len(line.segments) == 1 and len(line.segments[0].split()) == 2
    assert [point.title for point in line.points] == [
        "A: FACES 3.0",
        "B: FACES 4.0",
        "D: FACES 2.0",
    ]
    top, bottom = float(frame.ticks[2].y), float(frame.ticks[0].y)
    assert top < bottom  # 5 is drawn above 1


def test_only_some_labels_fit_under_a_long_axis():
    frame = charts.stacked_bar_chart(
        [[1]] * 30,
        [("Body", "category-body")],
        [str(n) for n in range(30)],
        ["x"] * 30,
        charts.minutes_with_unit,
    )
    assert 4 <= len(frame.x_labels) <= charts.MAX_X_LABELS


def test_stacked_bars_sit_on_each_other_in_series_order():
    frame = charts.stacked_bar_chart(
        [[10, 0, 5], [0, 0, 0], [20, 20, 0]],
        [("Body", "category-body"), ("Breath", "category-breath"), ("Other", "category-x")],
        ["a", "b", "c"],
        ["A", "B", "C"],
        charts.minutes_with_unit,
    )
    assert [bar.title for bar in frame.bars] == [
        "A: Body, 10 minutes",
        "A: Other, 5 minutes",
        "C: Body, 20 minutes",
        "C: Breath, 20 minutes",
    ]
    body, other, _, breath = frame.bars
    assert float(other.y) + float(other.height) == pytest.approx(float(body.y))
    assert float(body.y) + float(body.height) == pytest.approx(float(frame.baseline))
    # 40 minutes stacked: four fifths of the way up an axis topped at 50.
    plot = float(frame.baseline) - float(frame.ticks[-1].y)
    assert float(frame.baseline) - float(breath.y) == pytest.approx(plot * 0.8)
    assert [tick.label for tick in frame.ticks] == ["0", "25", "50"]


def test_a_bar_of_one_minute_says_minute():
    frame = charts.stacked_bar_chart(
        [[1]], [("Body", "category-body")], ["a"], ["A"], charts.minutes_with_unit
    )
    assert [bar.title for bar in frame.bars] == ["A: Body, 1 minute"]


def test_the_heatmap_is_a_calendar_of_weeks_with_monday_on_top():
    first, last = date(2026, 3, 25), date(2026, 4, 7)  # Wednesday to Tuesday
    grid = heatmap.heatmap({date(2026, 3, 29): 40, date(2026, 4, 6): 5}, first, last)
    cells = {cell.title.split(":")[0]: cell for cell in grid.cells}
    assert len(cells) == 14
    wednesday, monday = cells["Wednesday 25 March 2026"], cells["Monday 30 March 2026"]
    assert float(monday.y) < float(wednesday.y)  # Monday is the top row
    assert float(monday.x) > float(wednesday.x)  # a new week is a new column
    assert cells["Sunday 29 March 2026"].level == heatmap.HEATMAP_LEVELS
    assert cells["Sunday 29 March 2026"].title.endswith(": 40 minutes")
    assert cells["Monday 6 April 2026"].level == 1
    assert cells["Tuesday 7 April 2026"].level == 0
    assert [label.text for label in grid.months] == ["Apr"]  # March's label would not fit
    assert grid.width == heatmap.HEATMAP_LEFT + 3 * heatmap.CELL_STEP


def test_chart_markup_escapes_every_text():
    table = charts.table_markup("<caption>", ["A & B"], [["<b>", 1.25, 3]])
    assert "&lt;caption&gt;" in table and "A &amp; B" in table
    assert '<tr><th scope="row">&lt;b&gt;</th><td>1.2</td><td>3</td></tr>' in table
    frame = charts.stacked_bar_chart(
        [[3]], [("Body", "category-body")], ["<x>"], ["<y>"], charts.minutes_with_unit
    )
    assert "<y>" not in charts.frame_markup(frame) and "&lt;y&gt;: Body, 3 minutes" in (
        charts.frame_markup(frame)
    )
