// "Delete everything on this device", asking first. The link opens a confirmation in place
// (without JavaScript it opens the /delete-everything page instead); "Yes" deletes every
// result, check-in, the kept country and the reminders (on our server too, through
// reminder-device.js's clean-up), then tells the page ("steady:deleted") so it can redraw.
import { deleteEverything } from "./device-store.js";
import "./reminder-device.js"; // registers the clean-up that deletes the server's reminders

export function init(root) {
  const ask = root.querySelector("[data-action=ask-delete-everything]");
  const box = root.querySelector("[data-confirm]");
  const status = root.querySelector("[data-delete-status]");
  if (!ask || !box || !("localStorage" in window)) return;
  const open = (shown) => {
    box.hidden = !shown;
    ask.setAttribute("aria-expanded", String(shown));
  };

  root.addEventListener("click", async (event) => {
    const action = event.target.closest("[data-action]")?.dataset.action;
    if (action === "ask-delete-everything") {
      event.preventDefault();
      open(box.hidden);
      status.textContent = "";
      if (!box.hidden) box.querySelector("button").focus();
    } else if (action === "cancel-delete-everything") {
      open(false);
      ask.focus();
    } else if (action === "confirm-delete-everything") {
      open(false);
      const everywhere = await deleteEverything();
      status.textContent = everywhere ? status.dataset.done : status.dataset.failed;
      document.dispatchEvent(new CustomEvent("steady:deleted"));
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  });
}
