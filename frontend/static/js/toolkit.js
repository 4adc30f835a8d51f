// The toolkit pages' own starter (/passcode, /summary, /shared; sharing on /plan): their
// components, started like app.js's but named only by these pages, so the code for sharing,
// QR codes and the lock's settings is never part of another page's first load.
const components = {
  "app-passcode": () => import("./passcode-page.js"),
  "app-summary": () => import("./summary.js"),
  "app-share": () => import("./share.js"),
  "app-shared-view": () => import("./shared-view.js"),
};

for (const element of document.querySelectorAll("[data-module]")) {
  const load = components[element.dataset.module];
  if (load) {
    load()
      .then((module) => module.init(element))
      .then(() => element.setAttribute("data-module-started", ""));
  }
}
