// Starts each component named by a data-module attribute (GOV.UK Frontend's pattern).
// Every page works without this file; each component bails out when the browser
// lacks what it needs.
const components = {
  "app-quick-exit": () => import("./quick-exit.js"),
  "app-selfcheck": () => import("./selfcheck.js"),
  "app-error-summary": () => import("./error-summary.js"),
};

for (const element of document.querySelectorAll("[data-module]")) {
  const load = components[element.dataset.module];
  if (load) load().then((module) => module.init(element));
}

import("./sw-register.js").then((module) => module.init());
