// The toolkit's one door to the device's database: every read and write of the safety plan
// (/plan) and the taper diary (/taper) passes here, so a lock (encryption at rest) can be
// added in one place. Nothing here makes a request: what a person writes stays in IndexedDB.
//
// plan  "current"        → {updated, warning_signs, coping, distractions, helpers: [{name, phone}],
//                           professionals: [{name, phone}], safer_home, reasons}
// taper "steps"          → [{date: "YYYY-MM-DD", dose (as the prescriber wrote it), note}]
// taper "day:YYYY-MM-DD" → {date, taken: "yes"|"no"|"changed", symptoms: {sleep, anxiety,
//                           tremor, sweating, senses, aches, unreal, mood: 0–3},
//                           red_flags: ["seizure"|"confusion"|"self_harm"], note}
import * as db from "./steady-db.js";

export const PLAN_LISTS = ["warning_signs", "coping", "distractions", "safer_home", "reasons"];
export const PLAN_PEOPLE = ["helpers", "professionals"];
export const SYMPTOMS = ["sleep", "anxiety", "tremor", "sweating", "senses", "aches", "unreal", "mood"];
export const RED_FLAGS = ["seizure", "confusion", "self_harm"];

const PLAN_KEY = "current";
const STEPS_KEY = "steps";
const DAY_PREFIX = "day:";

export const available = () => db.available();

export function emptyPlan() {
  const plan = { updated: null };
  for (const name of PLAN_LISTS) plan[name] = [];
  for (const name of PLAN_PEOPLE) plan[name] = [];
  return plan;
}

export async function loadPlan() {
  return (await db.get(db.PLAN, PLAN_KEY)) || null;
}

export async function savePlan(plan) {
  const kept = { ...plan, updated: new Date().toISOString() };
  await db.put(db.PLAN, kept, PLAN_KEY);
  return kept;
}

export const deletePlan = () => db.remove(db.PLAN, PLAN_KEY);

export async function loadSteps() {
  const steps = (await db.get(db.TAPER, STEPS_KEY)) || [];
  return [...steps].sort((a, b) => a.date.localeCompare(b.date));
}

export const saveSteps = (steps) => db.put(db.TAPER, steps, STEPS_KEY);

export const loadDay = async (date) => (await db.get(db.TAPER, DAY_PREFIX + date)) || null;

export const saveDay = (day) => db.put(db.TAPER, day, DAY_PREFIX + day.date);

export const deleteDay = (date) => db.remove(db.TAPER, DAY_PREFIX + date);

// Every diary day, oldest first. The store also holds "steps" (an array): only day records
// (objects with a date and symptoms) are days.
export async function loadDays() {
  const records = await db.getAll(db.TAPER);
  return records
    .filter((record) => record && !Array.isArray(record) && typeof record.date === "string"
      && record.symptoms)
    .sort((a, b) => a.date.localeCompare(b.date));
}
