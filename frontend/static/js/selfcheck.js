// The self-check on the device: answers are scored here with the same rules as the
// server's no-JavaScript path and never leave the phone. The result blocks are already
// in the page (hidden); this shows the ones that apply.
import { scoreAnswers } from "./selfcheck-scoring.js";
import * as store from "./device-store.js";

function readAnswers(form) {
  const answers = {};
  for (const input of form.querySelectorAll("input[type=radio]:checked")) {
    answers[input.name] = input.value;
  }
  return answers;
}

function restoreAnswers(form, answers) {
  for (const [name, value] of Object.entries(answers)) {
    const input = form.querySelector(`input[type=radio][name="${CSS.escape(name)}"][value="${CSS.escape(value)}"]`);
    if (input) input.checked = true;
  }
}

function toggle(section, selector, attribute, shown) {
  for (const element of section.querySelectorAll(selector)) {
    element.hidden = !shown(element.getAttribute(attribute));
  }
}

function formatDate(iso) {
  return new Date(iso).toLocaleDateString(document.documentElement.lang, {
    year: "numeric", month: "long", day: "numeric",
  });
}

// Nothing answered shows that, and nothing else: no band, no score, nothing to save.
function showEmpty(section, empty) {
  section.querySelector("[data-empty-result]").hidden = !empty;
  section.querySelector("[data-full-result]").hidden = empty;
  section.setAttribute("aria-labelledby", empty ? "empty-heading" : "result-heading");
}

function showResult(section, result, total) {
  showEmpty(section, result.answered === 0);
  section.hidden = false;
  if (result.answered === 0) return;
  const answered = section.querySelector("[data-answered]");
  answered.textContent = answered.dataset.answered.replace("{answered}", String(result.answered));
  answered.hidden = result.answered >= total;
  toggle(section, "[data-band]", "data-band", (band) => band === result.band);
  toggle(section, "[data-step]", "data-step", (step) => result.steps.includes(step));
  toggle(section, "[data-sign]", "data-sign", (sign) => result.signs.includes(sign));
  toggle(section, "[data-flag]", "data-flag", (flag) => result.red_flags.includes(flag));
  section.querySelector("[data-crisis]").hidden = !result.crisis;
  section.querySelector("[data-signs]").hidden = result.signs.length === 0;
  const dated = section.querySelector("[data-result-date]");
  dated.dataset.label ||= dated.textContent;
  dated.textContent = `${dated.dataset.label} – ${formatDate(new Date().toISOString())}`;
  section.querySelector("[data-device-actions]").hidden = false;
}

function bandTitle(section, band) {
  return section.querySelector(`[data-band="${CSS.escape(band)}"] .app-result__band`)?.textContent ?? band;
}

function renderHistory(section, results) {
  const box = section.querySelector("[data-history]");
  const rows = section.querySelector("[data-history-rows]");
  rows.replaceChildren(...results.slice().reverse().map((saved) => {
    const row = document.createElement("tr");
    for (const text of [formatDate(saved.date), bandTitle(section, saved.band), `${saved.score} / ${saved.max_score}`]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  }));
  box.hidden = results.length === 0;
}

export function init(form) {
  const rulesElement = document.getElementById("app-selfcheck-rules");
  const section = document.getElementById("selfcheck-result");
  if (!rulesElement || !section || !("sessionStorage" in window)) return;
  const rules = JSON.parse(rulesElement.textContent);
  const status = section.querySelector("[data-status]");
  let current = null;

  restoreAnswers(form, store.loadInProgress());
  form.addEventListener("change", () => store.saveInProgress(readAnswers(form)));

  form.addEventListener("submit", async (event) => {
    event.preventDefault(); // scored here: the answers are never sent
    current = scoreAnswers(rules, readAnswers(form));
    showResult(section, current, rules.questions.length);
    status.textContent = "";
    form.hidden = true;
    const empty = current.answered === 0;
    const heading = section.querySelector(empty ? "#empty-heading" : current.crisis ? "#crisis-heading" : "#result-heading");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    heading.scrollIntoView({ block: "start" });
    // The lock shut: no history, rather than the prompt before the result.
    renderHistory(section, await store.loadResultsWithoutAsking());
  });

  section.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "save" && current && current.answered > 0) {
      const results = await store.saveResult(current);
      status.textContent = results ? button.dataset.done : button.dataset.failed;
      if (results) renderHistory(section, results);
    } else if (action === "print") {
      window.print();
    } else if (action === "edit") {
      section.hidden = true;
      form.hidden = false;
      form.querySelector("fieldset legend")?.closest("fieldset")?.querySelector("input")?.focus();
    }
  });

  // "Delete everything on this device" (js/delete-everything.js) tells the page when it is done.
  document.addEventListener("steady:deleted", () => {
    form.reset();
    renderHistory(section, []);
  });
}
