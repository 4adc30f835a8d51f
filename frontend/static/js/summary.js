// /summary: the prescriber summary, built on the device from what it keeps (saved self-check
// results, check-ins, the taper diary) and the other sedatives noted on the page. Nothing is
// sent: the form is read here and never submitted. The summary is a toolkit document
// (js/toolkit-doc.js), so a shared copy (js/share.js) shows exactly what is on the screen.
import * as db from "./steady-db.js";
import * as store from "./device-store.js";
import { longDate, renderDoc } from "./toolkit-doc.js";

const SCALES = ["feeling", "sleep", "anxiety", "cravings"];
const SYMPTOMS = ["sleep", "anxiety", "tremor", "sweating", "senses", "aches", "unreal", "mood"];
const DAY_MS = 86400000;
export const SEDATIVES_KEY = "steady.summary.sedatives"; // localStorage, sealed with the lock on

const fill = (template, values) =>
  Object.entries(values).reduce((text, [name, value]) => text.replaceAll(`%(${name})s`, value), template);

// The local calendar date of a moment, as YYYY-MM-DD.
function localDay(date) {
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().slice(0, 10);
}

const dayOf = (iso) => (iso.length === 10 ? iso : localDay(new Date(iso)));

async function safely(read, fallback) {
  try {
    return (await read()) ?? fallback;
  } catch {
    return fallback;
  }
}

async function kept() {
  const idb = db.available();
  const taper = idb ? await safely(() => db.getAll(db.TAPER), []) : [];
  return {
    results: await safely(() => store.loadResults(), []),
    checkIns: idb ? await safely(() => db.getAll(db.CHECKINS), []) : [],
    steps: taper.find(Array.isArray) ?? [],
    days: taper.filter((value) => value && !Array.isArray(value) && value.symptoms),
  };
}

function selfcheckSection(texts, results, lang) {
  if (!results.length) return [{ p: texts.no_results }];
  const signs = [...new Set(results.flatMap((result) => result.signs || []))];
  const blocks = [
    { p: fill(texts.results_count, { count: results.length }) },
    {
      table: {
        head: texts.result_head,
        rows: results.map((r) => [longDate(r.date, lang), texts.bands[r.band] ?? r.band, `${r.score} / ${r.max_score}`]),
      },
    },
  ];
  if (signs.length) blocks.push({ p: texts.signs_noted }, { list: signs.map((id) => texts.signs[id] ?? id) });
  return blocks;
}

function journalSection(texts, entries) {
  if (!entries.length) return [{ p: texts.no_check_ins }];
  const rows = SCALES.map((scale) => {
    const values = entries.map((e) => e[scale]).filter((v) => typeof v === "number");
    if (!values.length) return [texts.scales[scale], "–", "–", "–"];
    const average = values.reduce((a, b) => a + b, 0) / values.length;
    return [texts.scales[scale], average.toFixed(1), Math.min(...values), Math.max(...values)];
  });
  const count = (name, value) => entries.filter((e) => e[name] === value).length;
  return [
    { p: fill(texts.check_ins_count, { count: entries.length }) },
    { table: { head: texts.trend_head, rows } },
    { p: texts.scales_note },
    { p: fill(texts.withdrawal_days, { mild: count("withdrawal", "mild"), strong: count("withdrawal", "strong") }) },
    { p: fill(texts.not_as_prescribed, { count: count("as_prescribed", "no") }) },
  ];
}

const total = (day) => SYMPTOMS.reduce((sum, name) => sum + (Number(day.symptoms?.[name]) || 0), 0);

function taperSection(texts, steps, days, range, lang) {
  const sorted = steps.slice().sort((a, b) => a.date.localeCompare(b.date));
  const blocks = sorted.length
    ? [{ table: { head: texts.steps_head, rows: sorted.map((s) => [longDate(s.date, lang), s.dose, s.note || "–"]) } }]
    : [{ p: texts.no_steps }];
  if (!days.length) return [...blocks, { p: texts.no_days }];
  const ordered = days.slice().sort((a, b) => a.date.localeCompare(b.date));
  blocks.push({
    chart: {
      label: texts.chart_label,
      start: range.start,
      end: range.end,
      max: SYMPTOMS.length * 3,
      points: ordered.map((day) => [day.date, total(day)]),
      marks: sorted.map((step) => [step.date, step.dose]),
    },
  });
  const named = (day) => SYMPTOMS.filter((n) => Number(day.symptoms?.[n]) > 0)
    .map((n) => `${texts.symptoms[n]} ${day.symptoms[n]}`).join(", ");
  blocks.push({
    table: {
      head: texts.days_head,
      rows: ordered.map((day) => [
        longDate(day.date, lang),
        total(day),
        named(day) || "–",
        texts.taken[day.taken] ?? "–",
        (day.red_flags || []).map((flag) => texts.red_flags[flag] ?? flag).join(", ") || "–",
      ]),
    },
  });
  return blocks;
}

function sedativesSection(texts, answers) {
  const taken = Object.entries(answers.how_often || {}).filter(([, often]) => often && often !== "none");
  const blocks = taken.length
    ? [{ list: taken.map(([id, often]) => `${texts.sedatives[id]}: ${texts.how_often[often]}`) }]
    : [{ p: texts.no_sedatives }];
  if (answers.note) blocks.push({ p: texts.sedatives_note }, { p: answers.note });
  return blocks;
}

function readForm(form) {
  const how_often = {};
  for (const input of form.querySelectorAll("input[data-sedative]:checked")) {
    how_often[input.dataset.sedative] = input.value;
  }
  return {
    chosen: [...form.querySelectorAll("input[data-section]:checked")].map((i) => i.dataset.section),
    range: {
      start: form.querySelector("[data-range=start]").value,
      end: form.querySelector("[data-range=end]").value,
    },
    sedatives: { how_often, note: form.querySelector("[data-sedatives-note]").value.trim() },
  };
}

export function buildSummary(texts, lang, data, choice) {
  let { start, end } = choice.range;
  if (start > end) [start, end] = [end, start];
  const inRange = (iso) => dayOf(iso) >= start && dayOf(iso) <= end;
  const builders = {
    selfcheck: () => selfcheckSection(texts, data.results.filter((r) => inRange(r.date)), lang),
    journal: () => journalSection(texts, data.checkIns.filter((e) => inRange(e.date))),
    taper: () => taperSection(texts, data.steps, data.days.filter((d) => inRange(d.date)), { start, end }, lang),
    sedatives: () => sedativesSection(texts, choice.sedatives),
  };
  return {
    v: 1,
    kind: "summary",
    lang,
    title: texts.title,
    created: new Date().toISOString(),
    made: fill(texts.made, { date: longDate(new Date().toISOString(), lang) }),
    period: fill(texts.period, { start: longDate(start, lang), end: longDate(end, lang) }),
    footer: texts.footer,
    sections: Object.keys(builders)
      .filter((id) => choice.chosen.includes(id))
      .map((id) => ({ id, heading: texts.headings[id], blocks: builders[id]() })),
  };
}

function showMixing(form) {
  const risky = [...form.querySelectorAll("input[data-sedative]:checked")].some(
    (input) => ["alcohol", "opioids"].includes(input.dataset.sedative) && input.value !== "none",
  );
  form.querySelector("[data-mixing]").hidden = !risky;
}

async function make(root, texts, event) {
  event.preventDefault(); // built here: nothing is sent
  const form = event.target;
  const lang = document.documentElement.lang || "en";
  const choice = readForm(form);
  await store.saveSealed(SEDATIVES_KEY, choice.sedatives);
  const doc = buildSummary(texts, lang, await kept(), choice);
  const output = root.querySelector("[data-summary-output]");
  renderDoc(doc, output, 2);
  output.hidden = false;
  root.querySelector("[data-summary-actions]").hidden = false;
  document.dispatchEvent(new CustomEvent("steady:shareable", { detail: { kind: "summary", doc } }));
  output.focus();
}

export async function init(root) {
  const textsElement = document.getElementById("app-summary-texts");
  const form = root.querySelector("[data-summary-form]");
  if (!textsElement || !form || !("localStorage" in window)) return;
  const texts = JSON.parse(textsElement.textContent);
  const today = new Date();
  form.querySelector("[data-range=end]").value = localDay(today);
  form.querySelector("[data-range=start]").value = localDay(new Date(today.getTime() - 30 * DAY_MS));
  const saved = await safely(() => store.loadSealed(SEDATIVES_KEY, {}), {}); // asks for the passcode if locked
  for (const [id, often] of Object.entries(saved.how_often || {})) {
    const input = form.querySelector(`input[data-sedative="${CSS.escape(id)}"][value="${CSS.escape(often)}"]`);
    if (input) input.checked = true;
  }
  form.querySelector("[data-sedatives-note]").value = saved.note || "";
  showMixing(form);
  form.addEventListener("change", () => showMixing(form));
  form.addEventListener("submit", (event) => make(root, texts, event));
  root.addEventListener("click", (event) => {
    if (event.target.closest("[data-action=print]")) window.print();
  });
  form.hidden = false;
}
