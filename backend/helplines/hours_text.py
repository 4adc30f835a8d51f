"""Opening hours as people type them (the console, a CSV cell): one line per day or range.

    Mon-Fri 09:00-17:00
    Sat 10:00-14:00, 18:00-22:00
    Sun 22:00-02:00          (crosses midnight: ends on Monday at 02:00)

Days are Mon … Sun (or full English names), a range ("Mon-Fri") or a list ("Sat,Sun");
times are HH:MM, with "-" or "–" between opening and closing, several ranges separated by
commas. These plain functions turn the lines into the periods HelplineSchema reads, and
back. Mistakes come back per line ("Line 2: …"), the schema's checks come after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TIME_RANGE = re.compile(r"^(\d{1,2}):?(\d{2})\s*[-–—]\s*(\d{1,2}):?(\d{2})$")
_LINE = re.compile(r"^(?P<days>[A-Za-z][A-Za-z ,\-–]*?)\s+(?P<times>\d.*)$")


@dataclass
class ParsedHours:
    """Periods read from the lines, the line each came from, and problems per line."""

    periods: list[dict] = field(default_factory=list)
    line_of_period: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _day(word: str) -> int | None:
    word = word.strip().lower()[:3]
    return DAYS.index(word) if word in DAYS else None


def _days(text: str) -> list[int] | None:
    days: list[int] = []
    for part in re.split(r"\s*,\s*", text.strip()):
        ends = re.split(r"\s*[-–]\s*", part)
        if len(ends) == 1:
            day = _day(ends[0])
            if day is None:
                return None
            days.append(day)
        elif len(ends) == 2:
            first, last = _day(ends[0]), _day(ends[1])
            if first is None or last is None:
                return None
            span = (last - first) % 7
            days.extend((first + i) % 7 for i in range(span + 1))
        else:
            return None
    return days


def _clock(hours: str, minutes: str) -> str:
    return f"{int(hours):02d}:{minutes}"


def parse_hours(text: str) -> ParsedHours:
    """Read hours lines into periods ({"day", "opens", "closes"}); problems say which line."""
    result = ParsedHours()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        match = _LINE.match(line)
        days = _days(match.group("days")) if match else None
        if not match or not days:
            result.problems.append(
                f'Line {number}: write a day or days, then the times, like "Mon-Fri 09:00-17:00".'
            )
            continue
        for span in re.split(r"\s*,\s*", match.group("times")):
            times = _TIME_RANGE.match(span.strip())
            if not times:
                result.problems.append(
                    f'Line {number}: "{span.strip()}" is not a time range like 09:00-17:00.'
                )
                break
            opens, closes = _clock(*times.group(1, 2)), _clock(*times.group(3, 4))
            for day in days:
                result.periods.append({"day": day, "opens": opens, "closes": closes})
                result.line_of_period.append(number)
    return result


def _day_runs(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        DAY_LABELS[r[0]] if len(r) == 1 else f"{DAY_LABELS[r[0]]}-{DAY_LABELS[r[-1]]}" for r in runs
    )


def format_hours(periods: list[dict] | None) -> str:
    """Periods back into lines, days with the same times together ("Mon-Fri 09:00-17:00")."""
    groups: dict[tuple[str, str], list[int]] = {}
    for period in sorted(periods or [], key=lambda p: (p["day"], p["opens"])):
        groups.setdefault((period["opens"], period["closes"]), []).append(period["day"])
    ordered = sorted(groups.items(), key=lambda item: (min(item[1]), item[0]))
    return "\n".join(f"{_day_runs(days)} {opens}-{closes}" for (opens, closes), days in ordered)
