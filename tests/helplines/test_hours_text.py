"""Hours typed as lines ("Mon-Fri 09:00-17:00") ↔ the schema's weekly periods."""

from __future__ import annotations

from backend.helplines.hours_text import format_hours, parse_hours


def test_day_ranges_lists_and_several_spans_become_periods():
    parsed = parse_hours(
        "Mon-Fri 09:00-17:00\nSat,Sun 10:00-12:00, 14:00–16:00\n\nFri-Mon 22:00-02:00"
    )
    assert parsed.problems == []
    assert parsed.periods[:2] == [
        {"day": 0, "opens": "09:00", "closes": "17:00"},
        {"day": 1, "opens": "09:00", "closes": "17:00"},
    ]
    assert {"day": 6, "opens": "14:00", "closes": "16:00"} in parsed.periods
    # Fri-Mon wraps round the week; the line numbers count blank lines too.
    wrapped = [
        p["day"] for p, line in zip(parsed.periods, parsed.line_of_period, strict=True) if line == 4
    ]
    assert wrapped == [4, 5, 6, 0]


def test_full_day_names_and_times_without_a_leading_zero_are_read():
    parsed = parse_hours("monday 9:00-17:30\nSunday 0:00-24:00")
    assert parsed.periods == [
        {"day": 0, "opens": "09:00", "closes": "17:30"},
        {"day": 6, "opens": "00:00", "closes": "24:00"},
    ]


def test_mistakes_name_their_line():
    parsed = parse_hours("Mon 09:00-17:00\nTue nine to five\nWed 9-5\nFunday 09:00-10:00")
    assert parsed.problems[0].startswith("Line 2:")
    assert parsed.problems[1] == 'Line 3: "9-5" is not a time range like 09:00-17:00.'
    assert parsed.problems[2].startswith("Line 4:")
    assert len(parsed.periods) == 1


def test_formatting_groups_days_with_the_same_times_and_reads_back_the_same():
    periods = parse_hours("Mon-Fri 09:00-17:00\nSat 22:00-02:00\nWed 18:00-20:00").periods
    text = format_hours(periods)
    assert text == "Mon-Fri 09:00-17:00\nWed 18:00-20:00\nSat 22:00-02:00"
    assert sorted(map(str, parse_hours(text).periods)) == sorted(map(str, periods))
    assert format_hours(None) == ""
