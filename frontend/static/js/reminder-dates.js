// Dates and times for the reminders page: today in a time zone, a few days on, and how a
// date or the next reminder reads in the page's language. Plain functions of plain values.

// "YYYY-MM-DD" today in `timeZone`, and that date plus `days`.
export function today(timeZone) {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
}

export function addDays(isoDate, days) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function formatDate(lang, isoDate) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString(lang, {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
  });
}

// An instant as the reminder's own clock shows it ("" when there is none).
export function formatWhen(lang, iso, timeZone) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return "";
  const options = {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
  };
  try {
    return date.toLocaleString(lang, { ...options, timeZone });
  } catch {
    return date.toLocaleString(lang, options);
  }
}

export const isPaused = ({ schedule }) =>
  Boolean(schedule.paused_until) && schedule.paused_until > today(schedule.timezone);
