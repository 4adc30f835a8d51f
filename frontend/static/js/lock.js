// The passcode lock in the page: the prompt (components/unlock.html) and the idle timer.
// js/vault.js calls ask() when a page needs something kept and the lock is closed; app.js
// calls watch() on every page while the lock is on. After IDLE_MS without a touch or key,
// or when the phone comes back after the lock fell due, the page locks and reloads, so
// nothing read before stays on the screen.
import * as vault from "./vault.js";
import { deleteEverything } from "./device-store.js";

const CHECK_EVERY_MS = 15000;
let waiting = null;

function prompt() {
  return document.querySelector("[data-unlock]");
}

function open(panel, shown) {
  panel.querySelector("[data-forgot]").hidden = !shown;
  panel.querySelector("[data-action=forgot-passcode]").setAttribute("aria-expanded", String(shown));
}

async function tryPasscode(panel, event) {
  event.preventDefault(); // the passcode never leaves this page
  const input = panel.querySelector("[data-unlock-passcode]");
  const error = panel.querySelector("[data-unlock-error]");
  const status = panel.querySelector("[data-unlock-status]");
  status.textContent = "";
  const opened = input.value !== "" && (await vault.unlock(input.value));
  input.value = "";
  error.hidden = opened;
  input.setAttribute("aria-invalid", String(!opened));
  if (opened) {
    input.setAttribute("aria-describedby", "");
    panel.hidden = true;
    document.querySelector("#main-content").focus();
  } else {
    input.setAttribute("aria-describedby", "unlock-error");
    input.focus();
  }
}

async function press(panel, event) {
  const action = event.target.closest("button[data-action]")?.dataset.action;
  if (action === "forgot-passcode") {
    open(panel, panel.querySelector("[data-forgot]").hidden);
  } else if (action === "keep-locked") {
    open(panel, false);
    panel.querySelector("[data-unlock-passcode]").focus();
  } else if (action === "erase-locked") {
    vault.lock();
    await deleteEverything();
    window.location.reload();
  }
}

// Shows the prompt and resolves once the lock is open.
export function ask() {
  const panel = prompt();
  if (!panel) return new Promise(() => {}); // no prompt on this page: what is kept stays shut
  waiting ||= new Promise((resolve) => {
    panel.querySelector("[data-unlock-form]").addEventListener("submit", (e) => tryPasscode(panel, e));
    panel.addEventListener("click", (e) => press(panel, e));
    document.addEventListener("steady:unlocked", () => resolve(), { once: true });
  });
  // Shown and focused once: asked again (e.g. when saving), it never takes focus from what
  // the page shows meanwhile, such as crisis help.
  if (panel.hidden) {
    panel.hidden = false;
    panel.scrollIntoView({ block: "start" });
    panel.querySelector("[data-unlock-passcode]").focus();
  }
  return waiting;
}

// The lock fell due: forget the key and, if this page showed anything kept, reload it.
function lockNow() {
  const shown = vault.isOn() && vault.isUnlocked();
  vault.lock();
  if (shown) window.location.reload();
}

// Locks after IDLE_MS without activity, in this tab and (through the session's due time)
// on the next page; a lock that fell due while the phone slept locks on its return.
export function watch() {
  let lastMove = 0;
  const active = () => {
    const now = Date.now();
    if (now - lastMove < 5000) return; // at most one write every few seconds
    lastMove = now;
    vault.stillHere();
  };
  for (const type of ["pointerdown", "keydown", "scroll", "input"]) {
    document.addEventListener(type, active, { passive: true, capture: true });
  }
  const due = () => {
    const at = vault.lockDueAt();
    return at > 0 && at < Date.now();
  };
  setInterval(() => due() && lockNow(), CHECK_EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && due()) lockNow();
  });
}

export function init() {
  watch();
}
