"""Opening hours: is a contact method open now, and when does it next open or close?

Hours are stored as one of:

- ``None``: not known (the directory says so and never guesses);
- ``{"always_open": True}``;
- ``{"always_open": False, "timezone": "Europe/Madrid", "periods": [{"day": 0, "opens":
  "18:00", "closes": "24:00"}]}`` where ``day`` is 0 = Monday … 6 = Sunday, ``opens`` is
  "HH:MM" (00:00–23:59) and ``closes`` is "HH:MM" or "24:00". A period whose ``closes`` is
  earlier than its ``opens`` crosses midnight and ends the next day; ``closes == opens`` is
  refused by the schema.

Periods are wall-clock times in the line's own time zone. They become real instants so
that DST never surprises anyone:

- a wall time that does not exist that day (the spring-forward gap) is the first instant
  after the gap — a line "opening at 02:30" opens when the clocks jump to 03:00;
- a wall time that happens twice (the autumn fold) is its first occurrence.

Nothing here touches a database or Flask: these are plain functions of plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


@dataclass(frozen=True)
class OpeningState:
    """Open now or not, and the next change. ``open is None`` means the hours are unknown.

    When open, ``closes_at`` is when it next closes (None: it never does); when closed,
    ``opens_at`` is when it next opens (None: it never does). Times are in the line's zone,
    for showing; do arithmetic on them in UTC (Python adds to a zoned time on its wall
    clock, and a time in a DST fold never equals a time in another zone, PEP 495).
    """

    open: bool | None
    opens_at: datetime | None
    closes_at: datetime | None


UNKNOWN = OpeningState(open=None, opens_at=None, closes_at=None)


def clock_minutes(text: str) -> int:
    """Minutes after midnight for "HH:MM" ("24:00" is 1440). Raises ValueError otherwise."""
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        raise ValueError(f"not an HH:MM time: {text!r}")
    hours, minutes = int(text[:2]), int(text[3:])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"not an HH:MM time: {text!r}")
    return hours * 60 + minutes


def period_length(opens: str, closes: str) -> int:
    """Minutes a period lasts; a ``closes`` earlier than ``opens`` crosses midnight."""
    start, end = clock_minutes(opens), clock_minutes(closes)
    return end - start if end > start else end + DAY_MINUTES - start


def weekly_spans(periods: list[dict]) -> list[tuple[int, int]]:
    """Each period as [start, end) minutes from Monday 00:00; ``end`` may pass the week's end."""
    spans = []
    for period in periods:
        start = period["day"] * DAY_MINUTES + clock_minutes(period["opens"])
        spans.append((start, start + period_length(period["opens"], period["closes"])))
    return sorted(spans)


def overlapping_periods(periods: list[dict]) -> list[tuple[int, int]]:
    """Index pairs of periods that overlap, the week wrapping round (touching is fine)."""
    spans = [
        (index, period["day"] * DAY_MINUTES + clock_minutes(period["opens"]))
        for index, period in enumerate(periods)
    ]
    clashes = []
    for i, start_i in spans:
        length_i = period_length(periods[i]["opens"], periods[i]["closes"])
        for j, start_j in spans:
            if j <= i:
                continue
            length_j = period_length(periods[j]["opens"], periods[j]["closes"])
            # Shift j into [start_i, start_i + week): then the week's wrap needs no care.
            offset = (start_j - start_i) % WEEK_MINUTES
            if offset < length_i or WEEK_MINUTES - offset < length_j:
                clashes.append((i, j))
    return clashes


def _covers_whole_week(periods: list[dict]) -> bool:
    pieces = []
    for start, end in weekly_spans(periods):
        length, start = end - start, start % WEEK_MINUTES
        if start + length <= WEEK_MINUTES:
            pieces.append((start, start + length))
        else:  # Sunday night into Monday morning
            pieces += [(start, WEEK_MINUTES), (0, start + length - WEEK_MINUTES)]
    reach = 0
    for start, end in sorted(pieces):
        if start > reach:
            return False
        reach = max(reach, end)
    return reach >= WEEK_MINUTES


def wall_time_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant a naive wall-clock time happens in ``zone``.

    A time in a DST gap becomes the first instant after the gap; a time in a fold becomes
    its first occurrence (PEP 495 ``fold=0``).
    """
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold=1 reads the time with the offset after the change (an instant before
    # the gap) and fold=0 with the offset before it (an instant after): search between them.
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    high = int(first.timestamp()) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    high = datetime.fromtimestamp(high, UTC)
    return high.astimezone(zone)


def occurrences(hours: dict, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Every period occurrence touching [start, end), as (opens, closes) instants in UTC, in
    order. Occurrences swallowed by a DST gap are left out."""
    zone = ZoneInfo(hours["timezone"])
    first_day = start.astimezone(zone).date() - timedelta(days=2)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    found = []
    day = first_day
    while day <= last_day:
        midnight = datetime.combine(day, time())
        for period in hours.get("periods") or []:
            if period["day"] != day.weekday():
                continue
            opens_wall = midnight + timedelta(minutes=clock_minutes(period["opens"]))
            closes_wall = opens_wall + timedelta(
                minutes=period_length(period["opens"], period["closes"])
            )
            # Compared and sorted in UTC: Python compares two times of the SAME zone by
            # their wall clocks, ignoring DST folds.
            opens_at = wall_time_instant(opens_wall, zone).astimezone(UTC)
            closes_at = wall_time_instant(closes_wall, zone).astimezone(UTC)
            if closes_at > opens_at and closes_at > start and opens_at < end:
                found.append((opens_at, closes_at))
        day += timedelta(days=1)
    return sorted(found)


def _merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for opens_at, closes_at in spans:
        if merged and opens_at <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes_at))
        else:
            merged.append((opens_at, closes_at))
    return merged


def opening_state(hours: dict | None, now: datetime) -> OpeningState:
    """Whether a contact method with these ``hours`` is open at ``now`` (an aware datetime),
    and when it next closes (if open) or opens (if closed). Unknown hours give ``UNKNOWN``."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if hours is None:
        return UNKNOWN
    if hours.get("always_open"):
        return OpeningState(open=True, opens_at=None, closes_at=None)
    periods = hours.get("periods") or []
    if not periods:
        return OpeningState(open=False, opens_at=None, closes_at=None)
    if _covers_whole_week(periods):
        return OpeningState(open=True, opens_at=None, closes_at=None)
    # A week and a bit ahead always holds the next change: no merged run lasts a week.
    spans = _merged(occurrences(hours, now - timedelta(days=8), now + timedelta(days=9)))
    zone = ZoneInfo(hours["timezone"])
    for opens_at, closes_at in spans:
        if opens_at <= now < closes_at:
            return OpeningState(open=True, opens_at=None, closes_at=closes_at.astimezone(zone))
        if opens_at > now:
            return OpeningState(open=False, opens_at=opens_at.astimezone(zone), closes_at=None)
    return OpeningState(open=False, opens_at=None, closes_at=None)
