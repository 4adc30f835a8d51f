// The helpline directory, on the device: each contact's weekly hours are rewritten into the
// device's own time zone, and "open now" is worked out by the device's clock (a page saved
// for offline use stays right). Without this file the server's text stands: hours in the
// line's own zone, and open or closed as of when the page was made.
//
// Same rules as backend/helplines/hours.py: periods are wall-clock times in the line's zone;
// `closes` earlier than `opens` crosses midnight; a time skipped by DST happens when the
// clocks jump; a time that happens twice is its first occurrence.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const partsCache = new Map();

export function init(list) {
  if (!("Intl" in window) || typeof Intl.DateTimeFormat !== "function") return;
  let deviceZone;
  try {
    deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!deviceZone) return;
  const lang = document.documentElement.lang || undefined;
  for (const block of list.querySelectorAll("[data-hours]")) {
    try {
      const hours = JSON.parse(block.dataset.hours);
      if (hours && !hours.always_open && Array.isArray(hours.periods)) {
        rewrite(block, hours, deviceZone, lang, list.dataset);
      }
    } catch {
      // Leave the server's text: it is right for the line's own zone.
    }
  }
}

function rewrite(block, hours, zone, lang, texts) {
  const now = Date.now();
  const week = occurrences(hours, now - 8 * DAY, now + 9 * DAY);
  const state = block.querySelector("[data-hours-state]");
  const periods = block.querySelector("[data-hours-periods]");
  const note = block.querySelector("[data-hours-zone]");
  const weekday = format(lang, zone, { weekday: "long" });
  const clock = format(lang, zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const dayOf = (t) => (new Date(t + offsetAt(t, zone)).getUTCDay() + 6) % 7; // Monday = 0
  const dayWord = (t) => (dayNumber(t, zone) === dayNumber(now, zone) ? texts.textToday : weekday.format(t));

  if (state) {
    const merged = merge(week);
    const current = merged.find(([start, end]) => start <= now && now < end);
    const next = merged.find(([start]) => start > now);
    if (current) {
      state.textContent = fill(texts.textOpenUntil, { day: dayWord(current[1]), time: clock.format(current[1]) });
    } else if (next) {
      state.textContent = fill(texts.textOpens, { day: dayWord(next[0]), time: clock.format(next[0]) });
    } else {
      state.textContent = texts.textClosed;
    }
    state.classList.toggle("app-helpline__state--open", Boolean(current));
  }
  if (periods) {
    const coming = week.filter(([start]) => start >= now && start < now + 7 * DAY);
    coming.sort((a, b) => dayOf(a[0]) - dayOf(b[0]) || clock.format(a[0]).localeCompare(clock.format(b[0])));
    periods.replaceChildren(...coming.map(([start, end]) => {
      const item = document.createElement("li");
      const midnight = dayNumber(end, zone) > dayNumber(start, zone) && clock.format(end) === "00:00";
      item.textContent = `${weekday.format(start)}: ${clock.format(start)}–${midnight ? "24:00" : clock.format(end)}`;
      return item;
    }));
  }
  if (note) note.textContent = fill(texts.textZone, { zone: zoneName(lang, zone, now) });
}

// "India Standard Time" rather than "Asia/Calcutta", where the browser knows the name.
function zoneName(lang, zone, now) {
  for (const style of ["longGeneric", "long"]) {
    try {
      const parts = format(lang, zone, { timeZoneName: style }).formatToParts(now);
      const name = parts.find((part) => part.type === "timeZoneName")?.value;
      if (name && !/^GMT[+-]/.test(name)) return name;
    } catch {
      // An older browser without this style: try the next.
    }
  }
  return zone.replace(/_/g, " ");
}

function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (match, name) => values[name] ?? match);
}

function format(lang, zone, options) {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone: zone, ...options });
  } catch {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone, ...options });
  }
}

// The zone's offset from UTC at instant t, in milliseconds.
function offsetAt(t, zone) {
  let formatter = partsCache.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    partsCache.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(t).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
  return wall - Math.floor(t / 1000) * 1000;
}

function dayNumber(t, zone) {
  return Math.floor((t + offsetAt(t, zone)) / DAY);
}

// The instant a wall-clock time (as UTC milliseconds of its fields) happens in a zone.
function instantOf(wall, zone) {
  const candidates = [offsetAt(wall - DAY / 2, zone), offsetAt(wall + DAY / 2, zone)]
    .map((offset) => wall - offset)
    .filter((t) => t + offsetAt(t, zone) === wall)
    .sort((a, b) => a - b);
  if (candidates.length) return candidates[0]; // a fold: the first occurrence
  // A gap: the first instant whose wall time is at or after the one asked for.
  let low = wall - offsetAt(wall - DAY / 2, zone) - DAY / 12;
  let high = wall - offsetAt(wall + DAY / 2, zone) + DAY / 12;
  if (low > high) [low, high] = [high, low];
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (middle + offsetAt(middle, zone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

function minutes(text) {
  const [h, m] = text.split(":").map(Number);
  return h * 60 + m;
}

function occurrences(hours, from, to) {
  const found = [];
  const zone = hours.timezone;
  const first = dayNumber(from, zone) - 2;
  const last = dayNumber(to, zone) + 1;
  for (let day = first; day <= last; day += 1) {
    const midnight = day * DAY; // the wall-clock midnight, as UTC milliseconds of its fields
    const weekday = (new Date(midnight).getUTCDay() + 6) % 7;
    for (const period of hours.periods) {
      if (period.day !== weekday) continue;
      const opens = minutes(period.opens);
      let length = minutes(period.closes) - opens;
      if (length <= 0) length += 24 * 60;
      const start = instantOf(midnight + opens * MINUTE, zone);
      const end = instantOf(midnight + (opens + length) * MINUTE, zone);
      if (end > start && end > from && start < to) found.push([start, end]);
    }
  }
  return found.sort((a, b) => a[0] - b[0]);
}

function merge(spans) {
  const merged = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
