// What a diary day calls for, from the symptoms and flags recorded: never a dose or a pace.
// "Rising": the total (8 symptoms, 0–24) went up 3 days in a row, so 4 consecutive days are
// written; a missing day breaks the run.
import { RED_FLAGS, SYMPTOMS } from "./toolkit-store.js";

export const RISING_DAYS = 3;

export const total = (day) =>
  SYMPTOMS.reduce((sum, id) => sum + (Number(day?.symptoms?.[id]) || 0), 0);

export function addDays(iso, count) {
  const date = new Date(`${iso}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function risingOn(days, date) {
  const byDate = new Map(days.map((day) => [day.date, day]));
  const run = [];
  for (let back = RISING_DAYS; back >= 0; back -= 1) {
    const day = byDate.get(addDays(date, -back));
    if (!day) return false;
    run.push(total(day));
  }
  return run.every((value, i) => i === 0 || value > run[i - 1]);
}

// {self_harm, seizure, confusion, rising}: the advice `day` calls for.
export function adviceFor(day, days) {
  const flags = new Set(day?.red_flags || []);
  const advice = Object.fromEntries(RED_FLAGS.map((flag) => [flag, flags.has(flag)]));
  advice.rising = Boolean(day) && risingOn(days, day.date);
  return advice;
}

// The index of the step in force on `date`, or -1.
export function stepOn(steps, date) {
  let found = -1;
  steps.forEach((step, i) => {
    if (step.date <= date) found = i;
  });
  return found;
}
