// Every read and write of the plan and the diary passes here (one place for a lock).
// plan "current" → {updated, warning_signs, coping, distractions, helpers: [{name, phone}],
//   professionals: [{name, phone}], safer_home, reasons}
// taper "steps" → [{date, dose (as written), note}]; "day:YYYY-MM-DD" → {date, taken:
//   yes|no|changed, symptoms: {<SYMPTOMS>: 0–3}, red_flags: [<RED_FLAGS>], note}
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

// Every diary day, oldest first (the store also holds "steps", an array).
export async function loadDays() {
  const records = await db.getAll(db.TAPER);
  return records
    .filter((record) => record && !Array.isArray(record) && typeof record.date === "string"
      && record.symptoms)
    .sort((a, b) => a.date.localeCompare(b.date));
}
