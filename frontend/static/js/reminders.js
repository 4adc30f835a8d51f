// /reminders: set up, show, change, pause and delete this device's check-in reminders.
// Notification permission is asked only when the person presses the button. The device
// keeps the subscription's id and manage token (reminder-device.js); the server keeps the
// push address and the schedule, nothing else. Module-level functions work on one `page`
// (its elements, texts and what this device holds), made by init().
import * as api from "./reminders-api.js";
import * as device from "./reminder-device.js";
import { addDays, formatDate, formatWhen, isPaused, today } from "./reminder-dates.js";
import * as fields from "./reminder-form.js";
import { PushProblem, pushProblem, subscribe } from "./push-support.js";

const fill = (template, values) =>
  Object.entries(values).reduce(
    (text, [name, value]) => text.replaceAll(`{${name}}`, value),
    template,
  );

const focus = (element) => {
  element.setAttribute("tabindex", "-1");
  element.focus();
};

function say(page, text) {
  page.status.textContent = text;
}

function labelOf(page, name, value) {
  return (
    page.form
      .querySelector(`input[name=${name}][value="${CSS.escape(String(value))}"]`)
      ?.closest("label")
      .textContent.trim() ?? String(value)
  );
}

function showProblem(page, reason) {
  for (const note of page.root.querySelectorAll("[data-problem]")) {
    note.hidden = note.dataset.problem !== reason;
  }
}

function showCurrent(page) {
  const { current, reminder, texts, lang } = page;
  const { schedule } = reminder;
  const show = (name, text) => {
    current.querySelector(`[data-show=${name}]`).textContent = text;
  };
  const days = [...schedule.days].sort((a, b) => a - b);
  show(
    "days",
    days.length === 7 ? texts.every_day : days.map((d) => labelOf(page, "days", d)).join(", "),
  );
  show("times", [...schedule.times].sort().join(", "));
  show("timezone", schedule.timezone);
  show("message", labelOf(page, "message", reminder.message));
  const paused = isPaused(reminder);
  const next = formatWhen(lang, reminder.next_due_at, schedule.timezone);
  show("next", next || texts.none_while_paused);
  const pausedNote = current.querySelector("[data-paused]");
  pausedNote.textContent = paused
    ? fill(texts.paused, { date: formatDate(lang, schedule.paused_until) })
    : "";
  pausedNote.hidden = !paused;
  current.querySelector("[data-action=resume]").hidden = !paused;
  current.hidden = false;
  page.form.hidden = true;
}

function showForm(page, editing) {
  const { form, texts } = page;
  fields.clearProblems(page.root);
  if (editing) fields.fill(form, page.reminder.schedule, page.reminder.message);
  form.querySelector("[data-form-heading]").textContent = editing ? texts.change : texts.set_up;
  page.submit.textContent = editing ? texts.save : texts.create;
  form.querySelector("[data-action=cancel]").hidden = !editing;
  form.querySelector("[data-permission-hint]").hidden = editing;
  form.dataset.editing = editing ? "yes" : "";
  form.hidden = false;
  page.current.hidden = !page.reminder || editing;
}

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

async function forgetGone(page) {
  await device.forget();
  await device.unsubscribePush();
  page.reminder = null;
  showForm(page, false);
  say(page, page.texts.gone);
}

function explain(page, error) {
  const { texts } = page;
  if (error instanceof PushProblem) {
    if (error.reason === "dismissed") return say(page, texts.dismissed);
    showProblem(page, error.reason);
    say(page, "");
    return focus(page.root.querySelector(`[data-problem=${error.reason}]`));
  }
  const code = error instanceof api.ReminderApiError ? error.status : -1;
  if (code === 0) return say(page, texts.offline);
  if (code === 429) return say(page, texts.too_many);
  if (code === 404 || code === 401) return forgetGone(page);
  if (code === 400 || code === 422) {
    say(page, "");
    return fields.showProblems(page.root, fields.problemsFromServer(error.body, texts));
  }
  return say(page, texts.failed);
}

// Runs one change at a time; `work` returns the status to announce.
async function act(page, work) {
  if (page.busy) return;
  page.busy = true;
  page.submit.setAttribute("aria-disabled", "true");
  say(page, page.texts.working);
  try {
    say(page, await work());
  } catch (error) {
    await explain(page, error);
  } finally {
    page.busy = false;
    page.submit.removeAttribute("aria-disabled");
  }
}

async function setUp(page, schedule, message) {
  const { lang } = page;
  // Permission is asked first, while the press still counts as the person's own action.
  const subscription = await subscribe(api.pushKey);
  const data = await api.create({ subscription, schedule, message, lang });
  page.reminder = remember(data, { schedule, message, lang });
  await device.keep(page.reminder);
  showProblem(page, null);
  showCurrent(page);
  focus(page.current.querySelector("h2"));
  const when = formatWhen(lang, page.reminder.next_due_at, schedule.timezone);
  return fill(page.texts.created, { when });
}

async function change(page, body, announce) {
  const { reminder } = page;
  const data = await api.change(reminder, body);
  page.reminder = remember(data, {
    ...reminder,
    ...body,
    schedule: { ...reminder.schedule, ...body.schedule },
  });
  await device.keep(page.reminder);
  showCurrent(page);
  return announce;
}

function submitSchedule(page, event) {
  event.preventDefault();
  const { form, texts, lang } = page;
  const schedule = fields.readSchedule(form);
  const message = fields.readMessage(form);
  const found = fields.problems(schedule, texts);
  if (found.length) return fields.showProblems(page.root, found);
  fields.clearProblems(page.root);
  if (!form.dataset.editing) return act(page, () => setUp(page, schedule, message));
  const { paused_until: pausedUntil } = page.reminder.schedule;
  const body = {
    schedule: { ...schedule, ...(pausedUntil ? { paused_until: pausedUntil } : {}) },
    message,
    lang,
  };
  return act(page, async () => {
    const announce = await change(page, body, texts.changed);
    focus(page.current.querySelector("h2"));
    return announce;
  });
}

function submitPause(page, event) {
  event.preventDefault();
  const input = page.pauseForm.elements.pause_days;
  const days = Number(input.value);
  if (!Number.isInteger(days) || days < 1 || days > Number(input.max)) {
    return fields.showProblems(page.root, [{ field: "pause-days", message: page.texts.bad_pause }]);
  }
  fields.clearProblems(page.root);
  const { timezone } = page.reminder.schedule;
  const schedule = { ...page.reminder.schedule, paused_until: addDays(today(timezone), days) };
  const announce = fill(page.texts.paused, { date: formatDate(page.lang, schedule.paused_until) });
  return act(page, () => change(page, { schedule }, announce));
}

function press(page, event) {
  const action = event.target.closest("button[data-action]")?.dataset.action;
  const { form, current, texts } = page;
  if (action === "edit") {
    showForm(page, true);
    focus(form.querySelector("[data-form-heading]"));
  } else if (action === "cancel") {
    fields.clearProblems(page.root);
    showCurrent(page);
    focus(current.querySelector("h2"));
  } else if (action === "resume") {
    const schedule = { ...page.reminder.schedule, paused_until: null };
    act(page, () => change(page, { schedule }, texts.resumed));
  } else if (action === "delete") {
    act(page, async () => {
      await device.deleteEverywhere(page.reminder);
      page.reminder = null;
      showForm(page, false);
      focus(form.querySelector("[data-form-heading]"));
      return texts.deleted;
    });
  }
}

// Shows what this device holds: its own copy at once, then the server's.
async function start(page) {
  page.root.querySelector("[data-needs-js]").hidden = true;
  fields.offerTimeZones(page.form);
  const problem = pushProblem();
  showProblem(page, problem);
  page.reminder = await device.load();
  if (!page.reminder) {
    if (problem !== "ios" && problem !== "unsupported") showForm(page, false);
    return;
  }
  showCurrent(page);
  try {
    page.reminder = remember(await api.read(page.reminder), page.reminder);
    await device.keep(page.reminder);
    showCurrent(page);
  } catch (error) {
    if (error instanceof api.ReminderApiError && error.status === 0) {
      page.current.querySelector("[data-offline-copy]").hidden = false;
    } else {
      await explain(page, error);
    }
  }
}

export function init(root) {
  const textsElement = document.getElementById("app-reminders-texts");
  if (!textsElement || !("fetch" in window) || !("Intl" in window)) return;
  const form = root.querySelector("[data-reminder-form]");
  const page = {
    root,
    form,
    texts: JSON.parse(textsElement.textContent),
    lang: document.documentElement.lang === "es" ? "es" : "en",
    current: root.querySelector("[data-current]"),
    pauseForm: root.querySelector("[data-pause-form]"),
    status: root.querySelector("[data-status]"),
    submit: form.querySelector("[data-submit]"),
    reminder: null, // what this device holds, or null
    busy: false,
  };
  form.addEventListener("submit", (event) => submitSchedule(page, event));
  page.pauseForm.addEventListener("submit", (event) => submitPause(page, event));
  root.addEventListener("click", (event) => press(page, event));
  return start(page); // resolves once the page shows what this device holds
}
