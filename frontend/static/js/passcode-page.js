// /passcode: turn the lock on, change the passcode, lock now, or turn the lock off.
// Nothing typed here is sent: every submit is stopped and the fields have no names.
import * as vault from "./vault.js";
import * as settings from "./lock-settings.js";

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
  if (next.length < texts.min_length) return texts.too_short;
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
  else if (kind === "change") done = await vault.changePasscode(field(form, "current"), field(form, "next"));
  else done = await settings.turnOff(field(form, "current"));
  status.textContent = "";
  if (!done) {
    showError(form, texts.wrong);
    return;
  }
  form.reset();
  show(root);
  status.textContent = { "turn-on": texts.turned_on, change: texts.changed, "turn-off": texts.turned_off }[kind];
  if (kind === "turn-on") import("./lock.js").then((module) => module.watch());
}

export function init(root) {
  const textsElement = document.getElementById("app-passcode-texts");
  if (!textsElement || !vault.supported()) return;
  const texts = JSON.parse(textsElement.textContent);
  root.addEventListener("submit", (event) => submit(root, texts, event));
  root.addEventListener("click", (event) => {
    if (event.target.closest("[data-action=lock-now]")) {
      vault.lock();
      window.location.reload();
    }
  });
  show(root);
}
