// Starts each component named by a data-module attribute (GOV.UK Frontend's pattern).
// Every page works without this file; each component bails out when the browser
// lacks what it needs.
const components = {
  "app-quick-exit": () => import("./quick-exit.js"),
  "app-country": () => import("./country.js"),
  "app-delete-everything": () => import("./delete-everything.js"),
  "app-offline-page": () => import("./offline-page.js"),
  "app-selfcheck": () => import("./selfcheck.js"),
  "app-error-summary": () => import("./error-summary.js"),
  "app-helplines": () => import("./helplines.js"),
  "app-reminders": () => import("./reminders.js"),
  "app-check-in": () => import("./check-in.js"),
  "app-admin-session": () => import("./admin-session.js"),
};

for (const element of document.querySelectorAll("[data-module]")) {
  const load = components[element.dataset.module];
  // Marked once started (GOV.UK Frontend's `data-…-init`), so nothing has to guess when
  // a component is ready: browser tests wait for `[data-module-started]`.
  if (load) {
    load()
      .then((module) => module.init(element))
      .then(() => element.setAttribute("data-module-started", ""));
  }
}

import("./sw-register.js").then((module) => module.init());

// A device that holds reminders deletes them on the server too when "Delete everything on
// this device" is pressed, on whichever page it is pressed.
try {
  if (localStorage.getItem("steady.reminder")) import("./reminder-device.js");
} catch {
  /* storage blocked: this device holds no reminders */
}
