// /check-in: the 30-second check-in. Answers are kept in this browser's IndexedDB
// ("steady", store "checkins") and never sent: this module makes no request and the form is
// never submitted. When answers point to danger, crisis help comes first; withdrawal while
// reducing brings a word to contact the prescriber (never a dose).
import { drawChart } from "./check-in-chart.js";
import * as db from "./steady-db.js";

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

export function init(root) {
  const textsElement = document.getElementById("app-check-in-texts");
  const form = root.querySelector("[data-check-in-form]");
  if (!textsElement || !form) return;
  const texts = JSON.parse(textsElement.textContent);
  const lang = document.documentElement.lang || "en";
  const result = root.querySelector("#check-in-result");
  const history = root.querySelector("[data-history]");
  const empty = root.querySelector("[data-empty]");
  const status = root.querySelector("[data-status]");
  const countNote = history.querySelector("[data-chart-note]");
  const countTemplate = countNote.textContent;
  const columns = [...history.querySelectorAll("th[data-column]")].map((th) => ({
    id: th.dataset.column,
    name: th.textContent.trim(),
  }));
  const labelOf = (name, value) =>
    form
      .querySelector(`input[name=${name}][value="${CSS.escape(String(value))}"]`)
      ?.closest("label")
      .querySelector(".app-scale__label")
      ?.textContent.trim() ?? String(value);
  const cell = (entry, id) =>
    entry[id] === null || entry[id] === undefined
      ? texts.not_answered
      : SCALES.includes(id)
        ? String(entry[id])
        : labelOf(id, entry[id]);
  const longDate = (iso) =>
    new Date(iso).toLocaleString(lang, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
  const shortDate = (iso) =>
    new Date(iso).toLocaleDateString(lang, { day: "numeric", month: "short" });
  const say = (text) => {
    status.textContent = text;
  };

  function showResult(answers, selfHarm, saved) {
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
    form.hidden = true;
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

  function renderHistory(entries) {
    history.hidden = entries.length === 0;
    empty.hidden = entries.length > 0;
    if (!entries.length) return;
    const recent = entries.slice(-CHART_LENGTH);
    countNote.textContent = fill(countTemplate, { count: recent.length });
    drawChart(
      history.querySelector("[data-chart]"),
      recent,
      columns.filter((c) => SCALES.includes(c.id)),
      {
        label: fill(texts.chart_label, { count: recent.length }),
        shortDate,
      },
    );
    history.querySelector("[data-history-rows]").replaceChildren(
      ...entries
        .slice()
        .reverse()
        .map((entry) => {
          const row = document.createElement("tr");
          const date = document.createElement("th");
          date.scope = "row";
          date.textContent = longDate(entry.date);
          row.append(date);
          for (const { id } of columns) {
            const td = document.createElement("td");
            td.textContent = cell(entry, id);
            row.append(td);
          }
          return row;
        }),
    );
  }

  // A CSV file made here and handed to the browser as a download: nothing leaves the device.
  function exportCsv(entries) {
    const quote = (value) => `"${String(value).replaceAll('"', '""')}"`;
    const header = [
      history.querySelector("thead th").textContent.trim(),
      ...columns.map((c) => c.name),
    ];
    const lines = [
      header,
      ...entries.map((entry) => [longDate(entry.date), ...columns.map((c) => cell(entry, c.id))]),
    ];
    const text = `\ufeff${lines.map((line) => line.map(quote).join(",")).join("\r\n")}\r\n`;
    const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${texts.file_name}-${new Date().toISOString().slice(0, 10)}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault(); // kept on this device: never submitted
    const answers = readAnswers(form);
    const selfHarm = form.elements.self_harm.checked; // shown help now; never saved
    let saved = false;
    try {
      if (db.available()) {
        await db.add(db.CHECKINS, { date: new Date().toISOString(), ...answers });
        saved = true;
      }
    } catch {
      saved = false;
    }
    form.reset();
    say("");
    showResult(answers, selfHarm, saved);
    renderHistory(await loadEntries());
  });

  const confirmBox = root.querySelector("[data-confirm-delete]");
  const askButton = root.querySelector("[data-action=delete-check-ins]");
  const askToDelete = (open) => {
    confirmBox.hidden = !open;
    askButton.setAttribute("aria-expanded", String(open));
  };

  root.addEventListener("click", async (event) => {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action === "again") {
      result.hidden = true;
      form.hidden = false;
      form.querySelector("input").focus();
    } else if (action === "export") {
      exportCsv(await loadEntries());
    } else if (action === "print") {
      window.print();
    } else if (action === "delete-check-ins") {
      askToDelete(confirmBox.hidden);
      if (!confirmBox.hidden) confirmBox.querySelector("button").focus();
    } else if (action === "cancel-delete") {
      askToDelete(false);
      askButton.focus();
    } else if (action === "confirm-delete") {
      askToDelete(false);
      try {
        await db.clear(db.CHECKINS);
      } catch {
        /* nothing kept */
      }
      renderHistory([]);
      say(texts.check_ins_deleted);
      focus(empty);
    }
  });
  // "Delete everything on this device" (js/delete-everything.js) says when it is done.
  document.addEventListener("steady:deleted", () => {
    askToDelete(false);
    renderHistory([]);
  });

  root.querySelector("[data-needs-js]").hidden = true;
  root.querySelector("[data-device]").hidden = false;
  form.hidden = false;
  return loadEntries().then(renderHistory); // resolves once the history is shown
}
