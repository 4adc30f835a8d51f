// Registers the service worker that keeps the public pages and the helpline list on the
// device, and, on a page shown from that copy, says how old the copy is.
// Where a browser has no service workers it does nothing: every page works without it.
//
// Markup for the date: `<p data-offline-date="List as of {date}" hidden></p>`. The
// attribute's `{date}` is replaced; with an empty attribute the text becomes the date alone.

const CACHED_AT = "X-Steady-Cached-At"; // stored by sw.js with each copy
const TIMING_NAME = "steady-cache"; // the Server-Timing entry sw.js adds to a copy it serves

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
  if (!note) return;
  try {
    const date = new Date(servedFromCopyAt() || (await storedCopyAt()) || NaN);
    if (Number.isNaN(date.getTime())) return;
    const text = date.toLocaleDateString(document.documentElement.lang || undefined, {
      year: "numeric",
      month: "long",
      day: "numeric",
    });
    const template = note.dataset.offlineDate || "{date}";
    note.textContent = template.includes("{date}") ? template.replace("{date}", text) : text;
    if (note instanceof HTMLTimeElement) note.dateTime = date.toISOString().slice(0, 10);
    note.hidden = false;
  } catch {
    // No date to show: the page itself is still there.
  }
}

// When the worker served this page from its copy (offline, or the network too slow or
// down), it says so in a Server-Timing entry, which pages can read and headers they cannot.
function servedFromCopyAt() {
  const [navigation] = performance.getEntriesByType?.("navigation") ?? [];
  const entry = navigation?.serverTiming?.find((timing) => timing.name === TIMING_NAME);
  return entry?.description;
}

// Where Server-Timing is missing: offline, the page can only have come from the copy.
async function storedCopyAt() {
  if (navigator.onLine !== false || !("caches" in window)) return undefined;
  const options = { ignoreVary: true };
  const cached = (await caches.match(location.pathname + location.search, options))
    || (await caches.match(location.pathname, options));
  return cached?.headers.get(CACHED_AT);
}
