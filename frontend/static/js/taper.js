// /taper: the taper diary, kept on this device only (toolkit-store.js); no request, and the
// forms are never sent. Steps are kept as typed; no dose or pace is ever computed. Advice after
// a day is saved: crisis help first (self-harm), then the prescriber (taper-signals.js).
import * as store from "./toolkit-store.js";
import { drawTaperChart } from "./taper-chart.js";
import { adviceFor, addDays, stepOn, today, total } from "./taper-signals.js";

// Advice shown again when the diary opens, if the newest day is this recent.
const RECENT_DAYS = 2;

const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (match, name) => values[name] ?? match);

function say(page, text) {
  page.status.textContent = text;
}

function labelOf(page, name, value) {
  const input = page.dayForm.querySelector(`input[name=${name}][value="${CSS.escape(value)}"]`);
  const label = input?.closest("label");
  return (label?.querySelector(".app-scale__label") || label)?.textContent.trim() ?? value;
}

function shortDate(page, iso, options = { month: "short", day: "numeric" }) {
  return new Date(`${iso}T12:00:00`).toLocaleDateString(page.lang, options);
}

const longDate = (page, iso) =>
  shortDate(page, iso, { weekday: "short", year: "numeric", month: "short", day: "numeric" });

function readDay(page) {
  const form = page.dayForm;
  const symptoms = {};
  for (const id of store.SYMPTOMS) {
    symptoms[id] = Number(form.querySelector(`input[name=${id}]:checked`)?.value || 0);
  }
  return {
    date: form.elements.date.value,
    taken: form.querySelector("input[name=taken]:checked")?.value || null,
    symptoms,
    red_flags: [...form.querySelectorAll("input[name=red_flags]:checked")].map((i) => i.value),
    note: form.elements.note.value.trim(),
  };
}

function fillDay(page, day) {
  const form = page.dayForm;
  for (const input of form.querySelectorAll("input[type=radio], input[type=checkbox]")) {
    if (input.name === "taken") input.checked = input.value === day?.taken;
    else if (input.name === "red_flags") input.checked = Boolean(day?.red_flags?.includes(input.value));
    else input.checked = Number(input.value) === Number(day?.symptoms?.[input.name] ?? 0);
  }
  form.elements.note.value = day?.note || "";
}

function cell(row, text, tag = "td") {
  const element = document.createElement(tag);
  element.textContent = text;
  if (tag === "th") element.scope = "row";
  row.append(element);
  return element;
}

function stepText(page, index) {
  if (index < 0) return page.texts.no_step;
  return `${fill(page.texts.step, { number: index + 1 })}: ${page.steps[index].dose}`;
}

function renderSteps(page) {
  const items = page.steps.map((step, i) => {
    const item = document.createElement("li");
    const when = document.createElement("strong");
    when.textContent = fill(page.texts.step_from, { date: longDate(page, step.date) });
    const dose = document.createElement("span");
    dose.className = "app-taper__dose";
    dose.textContent = step.dose;
    item.append(when, " ", dose);
    if (step.note) {
      item.append(Object.assign(document.createElement("span"), {
        className: "app-taper__step-note",
        textContent: step.note,
      }));
    }
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "app-button app-button--secondary app-no-print";
    remove.dataset.action = "delete-step";
    remove.dataset.index = String(i);
    remove.textContent = page.texts.delete;
    remove.setAttribute("aria-label", fill(page.texts.delete_step, { date: longDate(page, step.date) }));
    item.append(remove);
    return item;
  });
  const list = page.root.querySelector("[data-steps]");
  list.replaceChildren(...items);
  list.hidden = items.length === 0;
  page.root.querySelector("[data-no-steps]").hidden = items.length > 0;
}

function renderDays(page) {
  const { days } = page;
  page.root.querySelector("[data-days]").hidden = days.length === 0;
  page.root.querySelector("[data-no-days]").hidden = days.length > 0;
  if (!days.length) return;
  drawTaperChart(page.root.querySelector("[data-chart]"), days, page.steps, {
    label: page.texts.chart_label,
    stepName: (i) => String(i + 1),
    shortDate: (iso) => shortDate(page, iso),
  });
  const rows = [...days].reverse().map((day) => {
    const row = document.createElement("tr");
    cell(row, longDate(page, day.date), "th");
    cell(row, stepText(page, stepOn(page.steps, day.date)));
    cell(row, day.taken ? labelOf(page, "taken", day.taken) : page.texts.not_answered);
    cell(row, String(total(day)));
    for (const id of store.SYMPTOMS) cell(row, String(day.symptoms?.[id] ?? 0));
    cell(row, (day.red_flags || []).map((flag) => labelOf(page, "red_flags", flag)).join("; "));
    cell(row, day.note || "");
    return row;
  });
  page.root.querySelector("[data-day-rows]").replaceChildren(...rows);
}

// Shows the advice `day` calls for, crisis help first, and moves focus to the first shown.
function showAdvice(page, day, { focus }) {
  const advice = adviceFor(day, page.days);
  const crisis = page.alerts.querySelector("[data-crisis]");
  crisis.hidden = !advice.self_harm;
  for (const box of page.alerts.querySelectorAll("[data-alert]")) {
    box.hidden = !advice[box.dataset.alert];
  }
  const first = crisis.hidden ? page.alerts.querySelector("[data-alert]:not([hidden])")
    : crisis.querySelector("h2");
  if (first && focus) {
    first.setAttribute("tabindex", "-1");
    first.focus();
    first.scrollIntoView({ block: "start" });
  }
}

async function loadAll(page) {
  [page.steps, page.days] = await Promise.all([store.loadSteps(), store.loadDays()]);
}

async function openDay(page, date) {
  fillDay(page, await store.loadDay(date));
}

async function saveDay(page) {
  const day = readDay(page);
  if (!day.date) return;
  try {
    await store.saveDay(day);
    await loadAll(page);
  } catch {
    say(page, page.texts.saved_nothing);
    return;
  }
  renderDays(page);
  say(page, page.texts.saved);
  showAdvice(page, day, { focus: true });
}

async function addStep(page) {
  const form = page.stepForm;
  const step = {
    date: form.elements.date.value,
    dose: form.elements.dose.value.trim(),
    note: form.elements.note.value.trim(),
  };
  if (!step.date || !step.dose) {
    say(page, page.texts.step_missing);
    (step.date ? form.elements.dose : form.elements.date).focus();
    return;
  }
  const steps = [...page.steps, step].sort((a, b) => a.date.localeCompare(b.date));
  try {
    await store.saveSteps(steps);
  } catch {
    say(page, page.texts.saved_nothing);
    return;
  }
  page.steps = steps;
  form.reset();
  renderSteps(page);
  renderDays(page);
  say(page, page.texts.step_added);
}

async function deleteStep(page, index) {
  const steps = page.steps.filter((_, i) => i !== index);
  try {
    await store.saveSteps(steps);
  } catch {
    say(page, page.texts.saved_nothing);
    return;
  }
  page.steps = steps;
  renderSteps(page);
  renderDays(page);
  say(page, page.texts.step_deleted);
  page.stepForm.elements.date.focus();
}

function printSheet(page) {
  page.root.dataset.print = "sheet";
  window.print();
  page.root.dataset.print = "diary";
}

// Deleting a step takes two taps on the same button: the first only asks (the button says so,
// and so does the status line); moving on from the button takes the question back.
function askOrDelete(page, button) {
  if (button.dataset.asked) {
    deleteStep(page, Number(button.dataset.index));
    return;
  }
  const date = longDate(page, page.steps[Number(button.dataset.index)].date);
  const label = (text, name) => {
    button.textContent = text;
    button.setAttribute("aria-label", fill(name, { date }));
  };
  button.dataset.asked = "yes";
  label(page.texts.delete_again, page.texts.delete_step_again);
  say(page, page.texts.delete_asked);
  button.addEventListener("blur", () => {
    delete button.dataset.asked;
    label(page.texts.delete, page.texts.delete_step);
  }, { once: true });
}

function onClick(page, event) {
  const button = event.target.closest("button[data-action]");
  if (!button) return;
  const { action } = button.dataset;
  if (action === "print") window.print();
  else if (action === "print-sheet") printSheet(page);
  else if (action === "delete-step") askOrDelete(page, button);
}

export async function init(root) {
  const textsElement = document.getElementById("app-taper-texts");
  const dayForm = root.querySelector("[data-day-form]");
  if (!textsElement || !dayForm) return;
  const page = {
    root,
    dayForm,
    stepForm: root.querySelector("[data-step-form]"),
    alerts: root.querySelector("[data-alerts]"),
    status: root.querySelector("[data-status]"),
    texts: JSON.parse(textsElement.textContent),
    lang: document.documentElement.lang || "en",
    steps: [],
    days: [],
  };
  root.dataset.print = "diary";
  root.querySelector("[data-action=print-sheet]").hidden = false;
  root.addEventListener("click", (event) => onClick(page, event));
  const device = root.querySelector("[data-device]");
  if (!store.available()) {
    device.remove();
    root.querySelector("[data-sheet]").before(Object.assign(document.createElement("p"), {
      className: "app-status",
      textContent: page.texts.no_storage,
    }));
    return;
  }
  try {
    await loadAll(page);
  } catch {
    /* storage blocked: start empty; saving will say so */
  }
  const date = today();
  dayForm.elements.date.value = date;
  dayForm.elements.date.max = date;
  await openDay(page, date).catch(() => {});
  renderSteps(page);
  renderDays(page);
  device.hidden = false;
  const newest = page.days[page.days.length - 1];
  if (newest && newest.date >= addDays(date, -RECENT_DAYS)) showAdvice(page, newest, { focus: false });

  dayForm.elements.date.addEventListener("change", () => {
    if (dayForm.elements.date.value) openDay(page, dayForm.elements.date.value).catch(() => {});
  });
  dayForm.addEventListener("submit", (event) => {
    event.preventDefault(); // never sent: kept on this device
    saveDay(page);
  });
  page.stepForm.addEventListener("submit", (event) => {
    event.preventDefault();
    addStep(page);
  });
}

const root = document.querySelector("[data-module=app-taper]");
if (root) init(root).then(() => root.setAttribute("data-module-started", ""));
