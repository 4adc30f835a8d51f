"""Open now, and when a line next opens or closes: plain values, across DST and midnight."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backend.helplines.hours import (
    UNKNOWN,
    OpeningState,
    opening_state,
    overlapping_periods,
    wall_time_instant,
    weekly_spans,
)

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
SYDNEY = ZoneInfo("Australia/Sydney")
KOLKATA = ZoneInfo("Asia/Kolkata")
MADRID = ZoneInfo("Europe/Madrid")
ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Europe/Madrid"]


def weekly(zone: str, *periods: tuple[int, str, str]) -> dict:
    return {
        "always_open": False,
        "timezone": zone,
        "periods": [{"day": d, "opens": o, "closes": c} for d, o, c in periods],
    }


WEEKDAYS_9_TO_5 = weekly("America/New_York", *[(d, "09:00", "17:00") for d in range(5)])


def at(zone: ZoneInfo, *fields, fold: int = 0) -> datetime:
    return datetime(*fields, tzinfo=zone, fold=fold)


def test_unknown_hours_say_unknown_not_closed():
    assert opening_state(None, datetime.now(UTC)) == UNKNOWN
    assert UNKNOWN.open is None


def test_always_open_is_open_with_no_next_change():
    assert opening_state({"always_open": True}, datetime.now(UTC)) == OpeningState(True, None, None)


def test_now_must_be_timezone_aware():
    with pytest.raises(ValueError):
        opening_state(WEEKDAYS_9_TO_5, datetime(2026, 11, 25, 12, 0))


def test_open_during_a_weekday_period_and_closes_the_same_afternoon():
    state = opening_state(WEEKDAYS_9_TO_5, at(NEW_YORK, 2026, 11, 25, 15, 0))  # a Wednesday
    assert state == OpeningState(True, None, at(NEW_YORK, 2026, 11, 25, 17, 0))


def test_closed_on_friday_evening_opens_on_monday_morning():
    state = opening_state(WEEKDAYS_9_TO_5, at(NEW_YORK, 2026, 11, 27, 18, 0))
    assert state == OpeningState(False, at(NEW_YORK, 2026, 11, 30, 9, 0), None)


def test_the_same_instant_seen_from_another_zone_gives_the_same_answer():
    instant = at(NEW_YORK, 2026, 11, 25, 16, 59).astimezone(KOLKATA)
    assert opening_state(WEEKDAYS_9_TO_5, instant).open is True
    assert opening_state(WEEKDAYS_9_TO_5, instant + timedelta(minutes=1)).open is False


def test_a_period_ending_at_24_00_closes_at_midnight():
    chat = weekly("Europe/Madrid", *[(d, "18:00", "24:00") for d in range(5)])
    state = opening_state(chat, at(MADRID, 2026, 11, 23, 23, 30))  # Monday night
    assert state == OpeningState(True, None, at(MADRID, 2026, 11, 24, 0, 0))
    after = opening_state(chat, at(MADRID, 2026, 11, 24, 0, 30))
    assert after == OpeningState(False, at(MADRID, 2026, 11, 24, 18, 0), None)


def test_closes_before_opens_means_the_period_crosses_midnight():
    late = weekly("Europe/London", (4, "22:00", "02:00"))  # Friday night into Saturday
    state = opening_state(late, at(LONDON, 2026, 11, 28, 1, 0))
    assert state == OpeningState(True, None, at(LONDON, 2026, 11, 28, 2, 0))


def test_sunday_night_period_runs_into_monday_across_the_week_end():
    night = weekly("Asia/Kolkata", (6, "22:00", "06:00"))
    assert opening_state(night, at(KOLKATA, 2026, 11, 30, 5, 0)).closes_at == at(
        KOLKATA, 2026, 11, 30, 6, 0
    )
    assert opening_state(night, at(KOLKATA, 2026, 11, 29, 21, 0)).opens_at == at(
        KOLKATA, 2026, 11, 29, 22, 0
    )


def test_touching_periods_count_as_one_opening():
    hours = weekly("Europe/Madrid", (0, "18:00", "24:00"), (1, "00:00", "09:00"))
    state = opening_state(hours, at(MADRID, 2026, 11, 23, 23, 0))
    assert state.closes_at == at(MADRID, 2026, 11, 24, 9, 0)


def test_periods_covering_the_whole_week_never_close():
    hours = weekly("Europe/London", *[(d, "00:00", "24:00") for d in range(7)])
    assert opening_state(hours, datetime.now(UTC)) == OpeningState(True, None, None)


def test_kolkata_has_no_dst_and_a_half_hour_offset():
    hours = weekly("Asia/Kolkata", *[(d, "10:00", "18:00") for d in range(6)])
    state = opening_state(hours, datetime(2026, 11, 25, 4, 0, tzinfo=UTC))  # 09:30 IST
    assert state.open is False
    assert state.opens_at == datetime(2026, 11, 25, 4, 30, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_opens_when_the_clocks_jump():
    # New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT; 02:30 never happens.
    hours = weekly("America/New_York", (6, "02:30", "04:00"))
    state = opening_state(hours, at(NEW_YORK, 2026, 3, 8, 1, 0))
    assert state.opens_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert opening_state(hours, at(NEW_YORK, 2026, 3, 8, 3, 15)).open is True


def test_london_spring_forward_gap():
    # London, 29 March 2026: 01:00 GMT jumps to 02:00 BST.
    assert wall_time_instant(datetime(2026, 3, 29, 1, 30), LONDON) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )


def test_a_time_that_happens_twice_in_autumn_is_its_first_occurrence():
    # New York, 1 November 2026: 01:00–02:00 happens twice (EDT, then EST).
    hours = weekly("America/New_York", (6, "01:00", "01:30"))
    first = opening_state(hours, datetime(2026, 11, 1, 5, 15, tzinfo=UTC))  # 01:15 EDT
    assert first.open is True
    # (Compare in UTC: a time in a fold never equals a time in another zone, PEP 495.)
    assert first.closes_at.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert opening_state(hours, datetime(2026, 11, 1, 6, 15, tzinfo=UTC)).open is False  # EST


def test_an_overnight_period_on_the_night_the_clocks_go_back_lasts_an_hour_longer():
    hours = weekly("Europe/London", (5, "22:00", "06:00"))  # Saturday 24 → Sunday 25 October
    state = opening_state(hours, at(LONDON, 2026, 10, 24, 23, 0))
    assert state.closes_at == at(LONDON, 2026, 10, 25, 6, 0)
    # (Subtract in UTC: Python subtracts two times of one zone by their wall clocks.)
    opened = at(LONDON, 2026, 10, 24, 22, 0).astimezone(UTC)
    assert state.closes_at.astimezone(UTC) - opened == timedelta(hours=9)


def test_sydney_daylight_saving_starts_in_october():
    hours = weekly("Australia/Sydney", *[(d, "09:00", "17:00") for d in range(7)])
    # 4 October 2026: 02:00 AEST jumps to 03:00 AEDT (UTC+11).
    state = opening_state(hours, datetime(2026, 10, 4, 23, 30, tzinfo=UTC))  # 10:30 AEDT
    assert state == OpeningState(True, None, at(SYDNEY, 2026, 10, 5, 17, 0))
    assert state.closes_at == datetime(2026, 10, 5, 6, 0, tzinfo=UTC)


def test_overlaps_are_found_across_the_end_of_the_week():
    periods = [
        {"day": 6, "opens": "22:00", "closes": "02:00"},
        {"day": 0, "opens": "01:00", "closes": "03:00"},
    ]
    assert overlapping_periods(periods) == [(0, 1)]
    periods[1]["opens"] = "02:00"
    assert overlapping_periods(periods) == []


# --- properties ----------------------------------------------------------------------------

clock = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45])
)
period = st.fixed_dictionaries(
    {"day": st.integers(0, 6), "opens": clock, "closes": st.one_of(clock, st.just("24:00"))}
).filter(lambda p: p["opens"] != p["closes"])
hours_strategy = st.builds(
    lambda zone, periods: {"always_open": False, "timezone": zone, "periods": periods},
    st.sampled_from(ZONES),
    st.lists(period, min_size=1, max_size=4),
)
instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(hours=hours_strategy, now=instants)
def test_the_next_change_is_really_the_next_change(hours, now):
    assume(not overlapping_periods(hours["periods"]))
    state = opening_state(hours, now)
    # Arithmetic in UTC: Python adds to a zoned time on its wall clock.
    if state.open:
        if state.closes_at is None:
            return
        closes = state.closes_at.astimezone(UTC)
        assert closes > now
        assert opening_state(hours, closes).open is False
        assert opening_state(hours, closes - timedelta(seconds=1)).open is True
        assert opening_state(hours, now + (closes - now) / 2).open is True
    else:
        assert state.opens_at is not None
        opens = state.opens_at.astimezone(UTC)
        assert opens > now
        assert opening_state(hours, opens).open is True
        assert opening_state(hours, opens - timedelta(seconds=1)).open is False
        assert opening_state(hours, now + (opens - now) / 2).open is False


@settings(max_examples=300, deadline=None)
@given(hours=hours_strategy, now=instants)
def test_open_now_agrees_with_the_wall_clock_away_from_dst_changes(hours, now):
    assume(not overlapping_periods(hours["periods"]))
    zone = ZoneInfo(hours["timezone"])
    offsets = {(now + timedelta(days=d)).astimezone(zone).utcoffset() for d in (-2, 0, 2)}
    assume(len(offsets) == 1)
    local = now.astimezone(zone)
    minute = local.weekday() * 1440 + local.hour * 60 + local.minute + local.second / 60
    week = 7 * 1440
    expected = any(
        start <= m < end
        for start, end in weekly_spans(hours["periods"])
        for m in (minute, minute + week)
    )
    assert opening_state(hours, now).open is expected
