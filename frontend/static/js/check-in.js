// /check-in: the 30-second check-in. Answers are kept in this browser's IndexedDB
// ("steady", store "checkins") and never sent: this module makes no request and the form is
// never submitted. When answers point to danger, crisis help comes first; withdrawal while
// reducing brings a word to contact the prescriber (never a dose). Module-level functions
// work on one `page` (its elements and texts), made by init().
import { drawChart } from "./check-in-chart.js";
import * as db from "./steady-db.js";
import { openWithoutAsking } from "./vault.js";

const SCALES = ["feeling", "sleep", "anxiety", "cravings"];
const CHOICES = ["as_prescribed", "withdrawal", "reducing"];
const CHART_LENGTH = 14;

function readAnswers(form) {
  const answers = {};
  for (const name of SCALES) {
    const value = form.querySelector(`input[name=${name}]:checked`)?.value;
    answers[name] = value ? Number(value) : null;
  }
  for (const name of CHOICES) {
    answers[name] = form.querySelector(`input[name=${name}]:checked`)?.value ?? null;
  }
  return answers;
}

const fill = (template, values) =>
  Object.entries(values).reduce(
    (text, [name, value]) => text.replaceAll(`{${name}}`, value),
    template,
  );

function focus(element) {
  element.setAttribute("tabindex", "-1");
  element.focus();
  element.scrollIntoView({ block: "start" });
}

function say(page, text) {
  page.status.textContent = text;
}

function labelOf(page, name, value) {
  return (
    page.form
      .querySelector(`input[name=${name}][value="${CSS.escape(String(value))}"]`)
      ?.closest("label")
      .querySelector(".app-scale__label")
      ?.textContent.trim() ?? String(value)
  );
}

// What a history cell says: the number on a scale, the chosen words, or "not answered".
function cell(page, entry, id) {
  if (entry[id] === null || entry[id] === undefined) return page.texts.not_answered;
  return SCALES.includes(id) ? String(entry[id]) : labelOf(page, id, entry[id]);
}

function longDate(page, iso) {
  return new Date(iso).toLocaleString(page.lang, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

function showResult(page, answers, selfHarm, saved) {
  const { result, texts } = page;
  const strong = answers.withdrawal === "strong";
  const withdrawal = strong || answers.withdrawal === "mild";
  const crisis = result.querySelector("[data-crisis]");
  crisis.hidden = !(selfHarm || strong);
  crisis.querySelector("[data-flag=self_harm]").hidden = !selfHarm;
  crisis.querySelector("[data-flag=strong_withdrawal]").hidden = !strong;
  result.querySelector("[data-advice=reducing]").hidden = !(
    withdrawal && answers.reducing === "yes"
  );
  result.querySelector("[data-advice=withdrawal]").hidden = !(
    withdrawal && answers.reducing !== "yes"
  );
  const heading = result.querySelector("#check-in-result-heading");
  heading.dataset.saved ||= heading.textContent;
  heading.textContent = saved ? heading.dataset.saved : texts.saved_nothing;
  result.hidden = false;
  page.form.hidden = true;
  focus(crisis.hidden ? heading : crisis.querySelector("h2"));
}

async function loadEntries() {
  try {
    const entries = db.available() ? await db.getAll(db.CHECKINS) : [];
    return entries.sort((a, b) => a.date.localeCompare(b.date));
  } catch {
    return [];
  }
}

function historyRow(page, entry) {
  const row = document.createElement("tr");
  const date = document.createElement("th");
  date.scope = "row";
  date.textContent = longDate(page, entry.date);
  row.append(date);
  for (const { id } of page.columns) {
    const td = document.createElement("td");
    td.textContent = cell(page, entry, id);
    row.append(td);
  }
  return row;
}

function renderHistory(page, entries) {
  const { history, texts } = page;
  history.hidden = entries.length === 0;
  page.empty.hidden = entries.length > 0;
  if (!entries.length) return;
  const recent = entries.slice(-CHART_LENGTH);
  page.countNote.textContent = fill(page.countTemplate, { count: recent.length });
  drawChart(
    history.querySelector("[data-chart]"),
    recent,
    page.columns.filter((c) => SCALES.includes(c.id)),
    {
      label: fill(texts.chart_label, { count: recent.length }),
      shortDate: (iso) =>
        new Date(iso).toLocaleDateString(page.lang, { day: "numeric", month: "short" }),
    },
  );
  history
    .querySelector("[data-history-rows]")
    .replaceChildren(...entries.slice().reverse().map((entry) => historyRow(page, entry)));
}

// A CSV file made here and handed to the browser as a download: nothing leaves the device.
function exportCsv(page, entries) {
  const { columns } = page;
  const quote = (value) => `"${String(value).replaceAll('"', '""')}"`;
  const header = [
    page.history.querySelector("thead th").textContent.trim(),
    ...columns.map((c) => c.name),
  ];
  const lines = [
    header,
    ...entries.map((entry) => [
      longDate(page, entry.date),
      ...columns.map((c) => cell(page, entry, c.id)),
    ]),
  ];
  const text = `\ufeff${lines.map((line) => line.map(quote).join(",")).join("\r\n")}\r\n`;
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `${page.texts.file_name}-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function keepCheckIn(page, event) {
  event.preventDefault(); // kept on this device: never submitted
  const { form } = page;
  const answers = readAnswers(form);
  const selfHarm = form.elements.self_harm.checked; // shown help now; never saved
  form.reset();
  say(page, "");
  // The lock shut: the result (crisis help) before the prompt.
  const locked = db.available() && !(await openWithoutAsking());
  if (locked) showResult(page, answers, selfHarm, false);
  const saved = await save({ date: new Date().toISOString(), ...answers });
  const heading = page.result.querySelector("#check-in-result-heading");
  if (!locked) showResult(page, answers, selfHarm, saved);
  else if (saved) heading.textContent = heading.dataset.saved;
  renderHistory(page, await loadEntries());
}

async function save(entry) {
  try {
    if (!db.available()) return false;
    await db.add(db.CHECKINS, entry);
    return true;
  } catch {
    return false;
  }
}

function askToDelete(page, open) {
  page.confirmBox.hidden = !open;
  page.askButton.setAttribute("aria-expanded", String(open));
}

// After a deletion: the empty history, said out loud, with focus where the history was.
function emptied(page, announce) {
  askToDelete(page, false);
  renderHistory(page, []);
  say(page, announce);
  focus(page.empty);
}

async function press(page, event) {
  const action = event.target.closest("button[data-action]")?.dataset.action;
  const { form, confirmBox, texts } = page;
  if (action === "again") {
    page.result.hidden = true;
    form.hidden = false;
    form.querySelector("input").focus();
  } else if (action === "export") {
    exportCsv(page, await loadEntries());
  } else if (action === "print") {
    window.print();
  } else if (action === "delete-check-ins") {
    askToDelete(page, confirmBox.hidden);
    if (!confirmBox.hidden) confirmBox.querySelector("button").focus();
  } else if (action === "cancel-delete") {
    askToDelete(page, false);
    page.askButton.focus();
  } else if (action === "confirm-delete") {
    askToDelete(page, false);
    try {
      await db.clear(db.CHECKINS);
    } catch {
      /* nothing kept */
    }
    emptied(page, texts.check_ins_deleted);
  }
}

export function init(root) {
  const textsElement = document.getElementById("app-check-in-texts");
  const form = root.querySelector("[data-check-in-form]");
  if (!textsElement || !form) return;
  const history = root.querySelector("[data-history]");
  const countNote = history.querySelector("[data-chart-note]");
  const page = {
    root,
    form,
    history,
    countNote,
    countTemplate: countNote.textContent,
    texts: JSON.parse(textsElement.textContent),
    lang: document.documentElement.lang || "en",
    result: root.querySelector("#check-in-result"),
    empty: root.querySelector("[data-empty]"),
    status: root.querySelector("[data-status]"),
    confirmBox: root.querySelector("[data-confirm-delete]"),
    askButton: root.querySelector("[data-action=delete-check-ins]"),
    columns: [...history.querySelectorAll("th[data-column]")].map((th) => ({
      id: th.dataset.column,
      name: th.textContent.trim(),
    })),
  };
  form.addEventListener("submit", (event) => keepCheckIn(page, event));
  root.addEventListener("click", (event) => press(page, event));
  // "Delete everything on this device" (js/delete-everything.js) says when it is done.
  document.addEventListener("steady:deleted", () => {
    askToDelete(page, false);
    renderHistory(page, []);
  });
  root.querySelector("[data-needs-js]").hidden = true;
  root.querySelector("[data-device]").hidden = false;
  form.hidden = false;
  return loadEntries().then((entries) => renderHistory(page, entries)); // history shown
}
