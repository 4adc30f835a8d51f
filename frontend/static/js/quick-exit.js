// Quick exit, after GOV.UK's "Exit this page": the button, or Shift pressed three times
// (each press within 5 seconds of the last), hides the page at once, clears the
// self-check in progress and the passcode lock's session (so it locks) and replaces this
// history entry with a neutral site, so Back does not return here. It cannot erase earlier history: /privacy says so.
import { clearInProgress } from "./device-store.js";

const PRESS_WINDOW_MS = 5000;
const PRESSES_NEEDED = 3;

export function init(link) {
  function leave(event) {
    // Read when leaving: js/country.js may have moved it to the country kept on this device.
    const destination = link.href;
    if (event) event.preventDefault();
    document.body.classList.add("app-exiting");
    document.title = "\u00a0";
    clearInProgress();
    for (const form of document.querySelectorAll("form")) form.reset();
    window.location.replace(destination);
  }

  link.addEventListener("click", leave);

  let presses = 0;
  let lastPress = 0;
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Shift" || event.repeat) return;
    const now = Date.now();
    presses = now - lastPress <= PRESS_WINDOW_MS ? presses + 1 : 1;
    lastPress = now;
    if (presses >= PRESSES_NEEDED) leave();
  });
  // Any other key between presses starts the count again (so typing capitals is safe).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Shift") presses = 0;
  });
}
