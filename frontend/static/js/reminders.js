// /reminders: set up, show, change, pause and delete this device's check-in reminders.
// Notification permission is asked only when the person presses the button. The device
// keeps the subscription's id and manage token (reminder-device.js); the server keeps the
// push address and the schedule, nothing else.
import * as api from "./reminders-api.js";
import * as device from "./reminder-device.js";
import * as fields from "./reminder-form.js";
import { PushProblem, pushProblem, subscribe } from "./push-support.js";

const fill = (template, values) =>
  Object.entries(values).reduce(
    (text, [name, value]) => text.replaceAll(`{${name}}`, value),
    template,
  );

// "YYYY-MM-DD" today in `timeZone`, and that date plus `days`.
function today(timeZone) {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date());
}

function addDays(isoDate, days) {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function init(root) {
  const textsElement = document.getElementById("app-reminders-texts");
  if (!textsElement || !("fetch" in window) || !("Intl" in window)) return;
  const texts = JSON.parse(textsElement.textContent);
  const lang = document.documentElement.lang === "es" ? "es" : "en";
  const form = root.querySelector("[data-reminder-form]");
  const current = root.querySelector("[data-current]");
  const pauseForm = root.querySelector("[data-pause-form]");
  const status = root.querySelector("[data-status]");
  const submit = form.querySelector("[data-submit]");
  let reminder = null; // what this device holds, or null
  let busy = false;

  const say = (text) => {
    status.textContent = text;
  };
  const labelOf = (name, value) =>
    form
      .querySelector(`input[name=${name}][value="${CSS.escape(String(value))}"]`)
      ?.closest("label")
      .textContent.trim() ?? String(value);

  function formatDate(isoDate) {
    const [year, month, day] = isoDate.split("-").map(Number);
    return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString(lang, {
      timeZone: "UTC",
      weekday: "long",
      day: "numeric",
      month: "long",
    });
  }

  function formatWhen(iso, timeZone) {
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

  const isPaused = ({ schedule }) =>
    Boolean(schedule.paused_until) && schedule.paused_until > today(schedule.timezone);

  function showProblem(reason) {
    for (const note of root.querySelectorAll("[data-problem]")) {
      note.hidden = note.dataset.problem !== reason;
    }
  }

  function showCurrent() {
    const { schedule } = reminder;
    const show = (name, text) => {
      current.querySelector(`[data-show=${name}]`).textContent = text;
    };
    const days = [...schedule.days].sort((a, b) => a - b);
    show(
      "days",
      days.length === 7 ? texts.every_day : days.map((d) => labelOf("days", d)).join(", "),
    );
    show("times", [...schedule.times].sort().join(", "));
    show("timezone", schedule.timezone);
    show("message", labelOf("message", reminder.message));
    const paused = isPaused(reminder);
    show("next", formatWhen(reminder.next_due_at, schedule.timezone) || texts.none_while_paused);
    const pausedNote = current.querySelector("[data-paused]");
    pausedNote.textContent = paused
      ? fill(texts.paused, { date: formatDate(schedule.paused_until) })
      : "";
    pausedNote.hidden = !paused;
    current.querySelector("[data-action=resume]").hidden = !paused;
    current.hidden = false;
    form.hidden = true;
  }

  function showForm(editing) {
    fields.clearProblems(root);
    if (editing) fields.fill(form, reminder.schedule, reminder.message);
    form.querySelector("[data-form-heading]").textContent = editing ? texts.change : texts.set_up;
    submit.textContent = editing ? texts.save : texts.create;
    form.querySelector("[data-action=cancel]").hidden = !editing;
    form.querySelector("[data-permission-hint]").hidden = editing;
    form.dataset.editing = editing ? "yes" : "";
    form.hidden = false;
    current.hidden = !reminder || editing;
  }

  const focus = (element) => {
    element.setAttribute("tabindex", "-1");
    element.focus();
  };

  // The server's answer, over what the device already knew (the token never comes back).
  // Only the schedule's own fields are kept: they are sent back as they are.
  function remember(data, fallback) {
    const {
      days,
      times,
      timezone,
      paused_until: pausedUntil = null,
    } = {
      ...fallback.schedule,
      ...(data?.schedule || {}),
    };
    return {
      id: data?.id ?? fallback.id,
      token: data?.token ?? fallback.token,
      schedule: { days, times, timezone, paused_until: pausedUntil },
      message: data?.message ?? fallback.message,
      lang: data?.lang ?? fallback.lang,
      next_due_at: data?.next_due_at ?? null,
    };
  }

  async function forgetGone() {
    await device.forget();
    await device.unsubscribePush();
    reminder = null;
    showForm(false);
    say(texts.gone);
  }

  function explain(error) {
    if (error instanceof PushProblem) {
      if (error.reason === "dismissed") return say(texts.dismissed);
      showProblem(error.reason);
      say("");
      return focus(root.querySelector(`[data-problem=${error.reason}]`));
    }
    const code = error instanceof api.ReminderApiError ? error.status : -1;
    if (code === 0) return say(texts.offline);
    if (code === 429) return say(texts.too_many);
    if (code === 404 || code === 401) return forgetGone();
    if (code === 400 || code === 422) {
      say("");
      return fields.showProblems(root, fields.problemsFromServer(error.body, texts));
    }
    return say(texts.failed);
  }

  // Runs one change at a time; `work` returns the status to announce.
  async function act(work) {
    if (busy) return;
    busy = true;
    submit.setAttribute("aria-disabled", "true");
    say(texts.working);
    try {
      say(await work());
    } catch (error) {
      await explain(error);
    } finally {
      busy = false;
      submit.removeAttribute("aria-disabled");
    }
  }

  async function setUp(schedule, message) {
    // Permission is asked first, while the press still counts as the person's own action.
    const subscription = await subscribe(api.pushKey);
    const data = await api.create({ subscription, schedule, message, lang });
    reminder = remember(data, { schedule, message, lang });
    await device.keep(reminder);
    showProblem(null);
    showCurrent();
    focus(current.querySelector("h2"));
    return fill(texts.created, { when: formatWhen(reminder.next_due_at, schedule.timezone) });
  }

  async function change(body, announce) {
    const data = await api.change(reminder, body);
    reminder = remember(data, {
      ...reminder,
      ...body,
      schedule: { ...reminder.schedule, ...body.schedule },
    });
    await device.keep(reminder);
    showCurrent();
    return announce;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const schedule = fields.readSchedule(form);
    const message = fields.readMessage(form);
    const found = fields.problems(schedule, texts);
    if (found.length) return fields.showProblems(root, found);
    fields.clearProblems(root);
    if (form.dataset.editing) {
      const { paused_until: pausedUntil } = reminder.schedule;
      const body = {
        schedule: { ...schedule, ...(pausedUntil ? { paused_until: pausedUntil } : {}) },
        message,
        lang,
      };
      act(async () => {
        const announce = await change(body, texts.changed);
        focus(current.querySelector("h2"));
        return announce;
      });
    } else {
      act(() => setUp(schedule, message));
    }
  });

  pauseForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = pauseForm.elements.pause_days;
    const days = Number(input.value);
    if (!Number.isInteger(days) || days < 1 || days > Number(input.max)) {
      return fields.showProblems(root, [{ field: "pause-days", message: texts.bad_pause }]);
    }
    fields.clearProblems(root);
    const { timezone } = reminder.schedule;
    const schedule = { ...reminder.schedule, paused_until: addDays(today(timezone), days) };
    act(() =>
      change({ schedule }, fill(texts.paused, { date: formatDate(schedule.paused_until) })),
    );
  });

  root.addEventListener("click", (event) => {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action === "edit") {
      showForm(true);
      focus(form.querySelector("[data-form-heading]"));
    } else if (action === "cancel") {
      fields.clearProblems(root);
      showCurrent();
      focus(current.querySelector("h2"));
    } else if (action === "resume") {
      act(() => change({ schedule: { ...reminder.schedule, paused_until: null } }, texts.resumed));
    } else if (action === "delete") {
      act(async () => {
        await device.deleteEverywhere(reminder);
        reminder = null;
        showForm(false);
        focus(form.querySelector("[data-form-heading]"));
        return texts.deleted;
      });
    }
  });

  return start(); // resolves once the page shows what this device holds

  async function start() {
    root.querySelector("[data-needs-js]").hidden = true;
    fields.offerTimeZones(form);
    const problem = pushProblem();
    showProblem(problem);
    reminder = await device.load();
    if (!reminder) {
      if (problem !== "ios" && problem !== "unsupported") showForm(false);
      return;
    }
    showCurrent(); // the copy on this device at once, then the server's
    try {
      reminder = remember(await api.read(reminder), reminder);
      await device.keep(reminder);
      showCurrent();
    } catch (error) {
      if (error instanceof api.ReminderApiError && error.status === 0) {
        current.querySelector("[data-offline-copy]").hidden = false;
      } else {
        await explain(error);
      }
    }
  }
}
