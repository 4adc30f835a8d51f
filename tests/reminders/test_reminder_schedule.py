"""`next_due_at` and `catch_up`: pure tests with plain values across DST gaps and folds,
30- and 45-minute zones, several times a day, chosen days and pauses; then properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.reminders.schedule import Schedule, catch_up, next_due_at

EVERY_DAY = range(7)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def test_a_time_in_the_new_york_spring_gap_fires_at_three_oclock_that_morning():
    schedule = Schedule.of(EVERY_DAY, ["02:30"], "America/New_York")
    due = next_due_at(schedule, utc(2026, 3, 8, 0, 0))
    assert due == utc(2026, 3, 8, 7, 0)
    assert local(due, "America/New_York").strftime("%H:%M %Z") == "03:00 EDT"
    # and the day after it is 02:30 again
    assert local(next_due_at(schedule, due), "America/New_York").strftime("%d %H:%M") == "09 02:30"


def test_the_start_of_a_gap_also_moves_to_its_end():
    schedule = Schedule.of(EVERY_DAY, ["02:00"], "America/New_York")
    assert next_due_at(schedule, utc(2026, 3, 8, 0, 0)) == utc(2026, 3, 8, 7, 0)


def test_an_ambiguous_new_york_time_fires_once_at_its_first_occurrence():
    schedule = Schedule.of(EVERY_DAY, ["01:30"], "America/New_York")
    first = next_due_at(schedule, utc(2026, 11, 1, 4, 0))
    assert first == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, not 01:30 EST an hour later
    assert next_due_at(schedule, first) == utc(2026, 11, 2, 6, 30)  # the next day, EST


def test_london_gap_and_fold():
    schedule = Schedule.of(EVERY_DAY, ["01:30"], "Europe/London")
    assert next_due_at(schedule, utc(2026, 3, 29, 0, 0)) == utc(2026, 3, 29, 1, 0)  # 02:00 BST
    fold = next_due_at(schedule, utc(2026, 10, 24, 23, 0))
    assert fold == utc(2026, 10, 25, 0, 30)  # 01:30 BST
    assert next_due_at(schedule, fold) == utc(2026, 10, 26, 1, 30)  # 01:30 GMT the next day


def test_lord_howe_half_hour_gap_fires_at_half_past_two():
    schedule = Schedule.of(EVERY_DAY, ["02:15"], "Australia/Lord_Howe")
    due = next_due_at(schedule, utc(2026, 10, 3, 10, 0))
    assert due == utc(2026, 10, 3, 15, 30)
    assert local(due, "Australia/Lord_Howe").strftime("%Y-%m-%d %H:%M %z") == (
        "2026-10-04 02:30 +1100"
    )


def test_lord_howe_half_hour_fold_fires_once():
    schedule = Schedule.of(EVERY_DAY, ["01:45"], "Australia/Lord_Howe")
    first = next_due_at(schedule, utc(2026, 4, 4, 10, 0))
    assert first == utc(2026, 4, 4, 14, 45)  # 01:45 at +11:00
    second = next_due_at(schedule, first)
    assert second == utc(2026, 4, 5, 15, 15)  # 01:45 on 6 April at +10:30


def test_kathmandu_quarter_hour_offset():
    schedule = Schedule.of(EVERY_DAY, ["08:00"], "Asia/Kathmandu")
    assert next_due_at(schedule, utc(2026, 1, 1, 0, 0)) == utc(2026, 1, 1, 2, 15)
    assert next_due_at(schedule, utc(2026, 1, 1, 2, 15)) == utc(2026, 1, 2, 2, 15)


def test_several_times_a_day_come_in_order_whatever_order_they_were_given():
    schedule = Schedule.of(EVERY_DAY, ["21:00", "08:00", "13:30"], "Europe/Madrid")
    after = utc(2026, 6, 1, 8, 0)  # 10:00 in Madrid
    found = []
    for _ in range(4):
        after = next_due_at(schedule, after)
        found.append(local(after, "Europe/Madrid").strftime("%d %H:%M"))
    assert found == ["01 13:30", "01 21:00", "02 08:00", "02 13:30"]


def test_only_the_chosen_days():
    schedule = Schedule.of([0, 4], ["09:00"], "Asia/Kathmandu")  # Mondays and Fridays
    after = utc(2026, 6, 2, 12, 0)  # a Tuesday
    days = []
    for _ in range(4):
        after = next_due_at(schedule, after)
        days.append(local(after, "Asia/Kathmandu").strftime("%a %d"))
    assert days == ["Fri 05", "Mon 08", "Fri 12", "Mon 15"]


def test_a_pause_holds_every_reminder_until_its_date():
    schedule = Schedule.of(EVERY_DAY, ["08:00"], "America/New_York", date(2026, 6, 10))
    due = next_due_at(schedule, utc(2026, 6, 1, 0, 0))
    assert local(due, "America/New_York").strftime("%Y-%m-%d %H:%M") == "2026-06-10 08:00"


def test_a_pause_that_has_ended_changes_nothing():
    paused = Schedule.of(EVERY_DAY, ["08:00"], "Europe/London", date(2026, 5, 1))
    plain = Schedule.of(EVERY_DAY, ["08:00"], "Europe/London")
    after = utc(2026, 6, 1, 12, 0)
    assert next_due_at(paused, after) == next_due_at(plain, after)


def test_a_daily_reminder_keeps_its_local_time_across_dst_without_drifting():
    schedule = Schedule.of(EVERY_DAY, ["09:00"], "America/New_York")
    after, seen = utc(2026, 3, 5, 0, 0), []
    for _ in range(6):
        after = next_due_at(schedule, after)
        seen.append(after)
    assert {local(s, "America/New_York").strftime("%H:%M") for s in seen} == {"09:00"}
    gaps = {seen[i + 1] - seen[i] for i in range(len(seen) - 1)}
    assert gaps == {timedelta(hours=24), timedelta(hours=23)}  # 23 h across the change


def test_strictly_after_even_at_the_exact_instant():
    schedule = Schedule.of(EVERY_DAY, ["08:00"], "UTC")
    assert next_due_at(schedule, utc(2026, 6, 1, 8, 0)) == utc(2026, 6, 2, 8, 0)


def test_an_empty_schedule_has_no_next_time_and_a_naive_instant_is_refused():
    assert next_due_at(Schedule.of([], ["08:00"], "UTC"), utc(2026, 1, 1)) is None
    with pytest.raises(ValueError):
        next_due_at(Schedule.of(EVERY_DAY, ["08:00"], "UTC"), datetime(2026, 1, 1))


# --- catch_up: what the worker does after downtime --------------------------------------

TTL = timedelta(hours=4)


def test_catch_up_sends_an_occurrence_that_is_on_time():
    schedule = Schedule.of(EVERY_DAY, ["08:00"], "UTC")
    due = utc(2026, 6, 1, 8, 0)
    assert catch_up(schedule, due, due + timedelta(seconds=5), TTL) == (
        due,
        None,
        utc(2026, 6, 2, 8, 0),
    )


def test_after_days_of_downtime_nothing_is_sent_and_one_missed_occurrence_is_recorded():
    schedule = Schedule.of(EVERY_DAY, ["08:00", "20:00"], "UTC")
    due = utc(2026, 6, 1, 8, 0)
    now = utc(2026, 6, 4, 13, 0)  # 08:00 today is 5 h old: past the TTL
    assert catch_up(schedule, due, now, TTL) == (None, due, utc(2026, 6, 4, 20, 0))


def test_after_downtime_only_the_latest_occurrence_within_the_ttl_is_sent():
    schedule = Schedule.of(EVERY_DAY, ["08:00", "09:00", "10:00"], "UTC")
    due = utc(2026, 6, 1, 8, 0)
    now = utc(2026, 6, 1, 10, 30)
    send, missed, following = catch_up(schedule, due, now, TTL)
    assert (send, missed, following) == (utc(2026, 6, 1, 10, 0), due, utc(2026, 6, 2, 8, 0))


# --- properties -----------------------------------------------------------------------------

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Santiago",
    "Pacific/Chatham",
    "Asia/Tehran",
    "UTC",
]

schedules = st.builds(
    lambda days, times, zone, pause: Schedule.of(days, times, zone, pause),
    st.sets(st.integers(0, 6), min_size=1),
    st.sets(st.times().map(lambda t: time(t.hour, t.minute)), min_size=1, max_size=3),
    st.sampled_from(ZONES),
    st.one_of(st.none(), st.dates(date(2025, 6, 1), date(2027, 6, 1))),
)
instants = st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)


def wall_exists(day: date, at: time, zone: ZoneInfo) -> bool:
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive


def first_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def scheduled_for(result: datetime, schedule: Schedule) -> tuple[date, time]:
    """Which (local date, chosen time) a result fires for, checked against the rules."""
    zone = ZoneInfo(schedule.timezone)
    wall = result.astimezone(zone)
    day, clock = wall.date(), time(wall.hour, wall.minute)
    if clock in schedule.times and wall.second == 0:
        assert result == first_instant(day, clock, zone), "not the first of an ambiguous time"
        return day, clock
    # Otherwise: a chosen time that did not exist, and this is the first valid minute after it.
    for chosen in schedule.times:
        if chosen < clock and not wall_exists(day, chosen, zone):
            minute = datetime.combine(day, chosen) + timedelta(minutes=1)
            while minute.time() < clock:
                assert not wall_exists(day, minute.time(), zone), "not the first valid minute"
                minute += timedelta(minutes=1)
            return day, chosen
    raise AssertionError(f"{wall} is neither a chosen time nor the end of a gap")


@settings(max_examples=300, deadline=None)
@given(schedules, instants)
def test_the_next_time_is_after_on_a_chosen_day_and_time_and_skips_nothing(schedule, after):
    result = next_due_at(schedule, after)
    assert result is not None and result > after
    day, _ = scheduled_for(result, schedule)
    assert day.weekday() in schedule.days
    assert schedule.paused_until is None or day >= schedule.paused_until
    # No valid occurrence lies strictly between `after` and the result.
    zone = ZoneInfo(schedule.timezone)
    first = max(after.astimezone(zone).date(), schedule.paused_until or date.min)
    d = first - timedelta(days=1)
    while d <= day:
        if d.weekday() in schedule.days and d >= (schedule.paused_until or date.min):
            for chosen in schedule.times:
                if wall_exists(d, chosen, zone):
                    assert not after < first_instant(d, chosen, zone) < result
        d += timedelta(days=1)


@settings(max_examples=100, deadline=None)
@given(schedules, instants)
def test_walking_forward_never_fires_one_local_time_twice(schedule, after):
    instants, walls = [], []
    for _ in range(12):
        after = next_due_at(schedule, after)
        instants.append(after)
        walls.append(after.astimezone(ZoneInfo(schedule.timezone)).replace(tzinfo=None))
    assert instants == sorted(set(instants))
    assert len(set(walls)) == len(walls)  # an ambiguous wall time never comes back an hour later


@pytest.mark.parametrize("zone_name", ["America/New_York", "Europe/London", "Australia/Lord_Howe"])
def test_every_early_morning_time_fires_once_a_day_through_gaps_and_folds(zone_name):
    zone = ZoneInfo(zone_name)
    for at in [time(h, m) for h in range(4) for m in (0, 15, 30, 45)]:
        schedule = Schedule.of(EVERY_DAY, [at], zone_name)
        after, days = utc(2026, 10, 1), []
        for _ in range(200):  # October to April: both changes in both hemispheres
            after = next_due_at(schedule, after)
            days.append(after.astimezone(zone).date())
        assert days == [days[0] + timedelta(days=i) for i in range(200)]
