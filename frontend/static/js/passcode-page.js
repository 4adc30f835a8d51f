// /passcode: turn the lock on, change the passcode, lock now, turn the lock off, or (having
// forgotten the passcode) erase everything. Nothing typed here is sent: every submit is
// stopped and the fields have no names.
import * as vault from "./vault.js";
import * as settings from "./lock-settings.js";
import { deleteEverything } from "./device-store.js";

const field = (form, name) => form.querySelector(`[data-field=${name}]`)?.value ?? "";

function showError(form, text) {
  const error = form.querySelector("[data-error]");
  error.textContent = text;
  error.hidden = !text;
  if (text) {
    error.setAttribute("tabindex", "-1");
    error.focus();
  }
}

// The new passcode's problem, or "".
function problem(form, texts) {
  const next = field(form, "next");
  if (next.length < settings.MIN_LENGTH) return texts.too_short;
  if (next !== field(form, "again")) return texts.no_match;
  return "";
}

function show(root) {
  const on = vault.isOn();
  root.querySelector("[data-form=turn-on]").hidden = on;
  root.querySelector("[data-when-on]").hidden = !on;
}

async function submit(root, texts, event) {
  event.preventDefault(); // the passcode never leaves this page
  const form = event.target;
  const kind = form.dataset.form;
  const status = root.querySelector("[data-passcode-status]");
  const invalid = kind === "turn-off" ? "" : problem(form, texts);
  showError(form, invalid);
  if (invalid) return;
  status.textContent = texts.working;
  let done = true;
  if (kind === "turn-on") await settings.turnOn(field(form, "next"));
  else if (kind === "change") done = await settings.changePasscode(field(form, "current"), field(form, "next"));
  else done = await settings.turnOff(field(form, "current"));
  status.textContent = "";
  if (!done) {
    showError(form, texts.wrong);
    return;
  }
  form.reset();
  show(root);
  status.textContent = { "turn-on": texts.turned_on, change: texts.changed, "turn-off": texts.turned_off }[kind];
}

async function press(root, action) {
  const confirm = root.querySelector("[data-confirm-erase]");
  const askButton = root.querySelector("[data-action=ask-erase]");
  if (action === "lock-now") {
    vault.lock();
    window.location.reload();
  } else if (action === "ask-erase" || action === "keep") {
    confirm.hidden = action === "keep" || !confirm.hidden;
    askButton.setAttribute("aria-expanded", String(!confirm.hidden));
    if (!confirm.hidden) confirm.querySelector("button").focus();
  } else if (action === "erase") {
    vault.lock();
    await deleteEverything();
    window.location.reload();
  }
}

export function init(root) {
  const textsElement = document.getElementById("app-passcode-texts");
  if (!textsElement || !window.crypto?.subtle || !window.indexedDB) return;
  const texts = JSON.parse(textsElement.textContent);
  root.addEventListener("submit", (event) => submit(root, texts, event));
  root.addEventListener("click", (event) => {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action) press(root, action);
  });
  show(root);
}
