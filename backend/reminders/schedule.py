"""When a reminder is next due: one pure function over a schedule and an instant.

A schedule is days of the week (Monday = 0), one to three local wall-clock times, an IANA
time zone and an optional pause. Every candidate is built from a local calendar date and a
local time, then converted to UTC with `zoneinfo`, so a reminder never drifts by an hour
across DST the way "previous instant + 24 h" would.

- A local time that does not exist that day (a DST gap) fires at the first valid minute after
  it: 02:30 on the spring-forward day in America/New_York fires at 03:00 EDT.
- A local time that happens twice (a DST fold) fires once, at its first occurrence (fold=0).
- `paused_until` is the local date on which reminders start again: nothing fires on an
  earlier local date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A gap longer than a day has happened (Pacific/Apia skipped 30 Dec 2011); never look further.
LONGEST_GAP_MINUTES = 24 * 60 + 60
ONE_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Schedule:
    """Days of the week (0 = Monday), local times, an IANA zone and an optional pause."""

    days: frozenset[int]
    times: tuple[time, ...]
    timezone: str
    paused_until: date | None = None

    @classmethod
    def of(
        cls,
        days: Iterable[int],
        times: Iterable[str | time],
        timezone: str,
        paused_until: date | None = None,
    ) -> Schedule:
        """Build a schedule from stored values ("HH:MM" strings or `time`s)."""
        parsed = tuple(sorted(t if isinstance(t, time) else time.fromisoformat(t) for t in times))
        return cls(frozenset(days), parsed, timezone, paused_until)


def exists(local: datetime) -> bool:
    """Does this aware local wall-clock time exist (it is not inside a DST gap)?"""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of `at` on local date `day`: the first occurrence of an ambiguous
    time, the first valid minute after a time that does not exist."""
    local = datetime.combine(day, at, tzinfo=zone)  # fold=0: the first occurrence
    for _ in range(LONGEST_GAP_MINUTES):
        if exists(local):
            return local.astimezone(UTC)
        # Walk the wall clock, not the UTC instant, to the end of the gap.
        local = (local.replace(tzinfo=None) + ONE_MINUTE).replace(tzinfo=zone, second=0)
    raise ValueError(f"no valid local time after {day} {at} in {zone.key}")


def next_due_at(schedule: Schedule, after: datetime) -> datetime | None:
    """The first reminder instant strictly after `after` (UTC, aware), or None if none.

    `after` must be timezone-aware. Candidates are the chosen local times on the allowed days
    from the day before `after` (in the schedule's zone) for eight days, starting no earlier
    than the pause's end: a week always holds every weekday, and the extra days cover a time
    of today that has already passed and a gap that pushes a late time past midnight.
    """
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    if not schedule.days or not schedule.times:
        return None
    zone = ZoneInfo(schedule.timezone)
    after = after.astimezone(UTC)
    first_day = after.astimezone(zone).date() - timedelta(days=1)
    if schedule.paused_until and schedule.paused_until > first_day:
        first_day = schedule.paused_until
    best: datetime | None = None
    for offset in range(9):
        day = first_day + timedelta(days=offset)
        if best is not None and best.astimezone(zone).date() < day:
            break  # a day's instants all fall on or after that local date: none is earlier
        if day.weekday() not in schedule.days:
            continue
        for at in schedule.times:
            instant = local_instant(day, at, zone)
            if instant > after and (best is None or instant < best):
                best = instant
    return best


def catch_up(
    schedule: Schedule, due: datetime, now: datetime, max_lateness: timedelta
) -> tuple[datetime | None, datetime | None, datetime | None]:
    """What to do with an occurrence `due` that has come (due <= now).

    Returns (send, missed, following): the occurrence to send now (the latest one due at most
    `max_lateness` ago, or None), the first one missed if it is not that one (recorded once as
    skipped, however many were missed), and the next occurrence after `now`. After downtime
    this sends at most one late reminder instead of a burst.
    """
    window_start = now - max_lateness
    if due >= window_start:
        candidate = due
    else:
        candidate = next_due_at(schedule, window_start - timedelta(microseconds=1))
    send = None
    while candidate is not None and candidate <= now:
        send = candidate
        candidate = next_due_at(schedule, candidate)
    missed = due if send != due else None
    return send, missed, candidate
