// Registers the service worker that keeps the public pages and the helpline list on the
// device, and, on a page opened offline from that copy, says how old the copy is.
// Where a browser has no service workers it does nothing: every page works without it.
//
// Markup for the date: `<p data-offline-date="List as of {date}" hidden></p>` (the attribute's
// `{date}` is replaced; with an empty attribute the element's text becomes the date alone).

const CACHED_AT = "X-Steady-Cached-At"; // set by sw.js when it stores a copy

export function init() {
  if (!("serviceWorker" in navigator)) return;
  // After `load`, so precaching never competes with the first visit's own files.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
  showOfflineDate();
}

function register() {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // No offline copy this time (a private window, storage full): the site still works online.
  });
}

async function showOfflineDate() {
  const note = document.querySelector("[data-offline-date]");
  if (!note || navigator.onLine !== false || !("caches" in window)) return;
  try {
    const options = { ignoreVary: true };
    const cached = (await caches.match(location.pathname + location.search, options))
      || (await caches.match(location.pathname, options));
    const date = new Date(cached?.headers.get(CACHED_AT) || NaN);
    if (Number.isNaN(date.getTime())) return;
    const text = date.toLocaleDateString(document.documentElement.lang || undefined, {
      year: "numeric",
      month: "long",
      day: "numeric",
    });
    const template = note.dataset.offlineDate;
    note.textContent = template && template.includes("{date}") ? template.replace("{date}", text) : text;
    if (note instanceof HTMLTimeElement) note.dateTime = date.toISOString().slice(0, 10);
    note.hidden = false;
  } catch {
    // No date to show: the page itself is still there.
  }
}
