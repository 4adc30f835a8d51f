// Steady's service worker, offline half: every public page and the helpline list work offline.
// The shape of Google's offline-page sample: constants, then one listener per event.
// The caches hold public pages and files only, the same for everyone: self-check answers and
// check-ins never pass through here (the no-JS self-check is a POST, which this never touches;
// check-ins stay in the page's own storage). The push half (check-in reminders) is
// /static/sw-push.js, imported below from the same origin.

// The server replaces the placeholder with a hash of every static file (backend/pages/offline.py),
// so any deploy that changes a file installs a new worker with a new cache. Served as a plain
// file, it stays as written and still names one stable cache ("steady-dev").
const VERSION = "__STEADY_VERSION__";
const CACHE_PREFIX = "steady-";
const CACHE_NAME = CACHE_PREFIX + (VERSION.startsWith("__") ? "dev" : VERSION);
const NETWORK_TIMEOUT_MS = 4000;
const OFFLINE_PAGE = "/offline";
// Pages that are one country's list: offline, never answered with another country's copy.
const COUNTRY_LISTS = ["/helplines"];
// (The toolkit's lock, summary and sharing pages are the last four.)
const PAGES = [
  "/", "/check", "/help-someone", "/overdose", "/privacy", "/offline", "/helplines",
  "/reminders", "/check-in", "/delete-everything", "/plan", "/taper",
  "/passcode", "/summary", "/share", "/shared",
];
const PRECACHE = [
  ...PAGES,
  ...PAGES.map((path) => `${path}?lang=es`),
  "/api/v1/checklist?lang=en",
  "/api/v1/checklist?lang=es",
  "/manifest.webmanifest",
];
// Never cached and never answered from a cache: the console, reminder and push API (secrets),
// the worker itself and the health checks. Prefixes of the path.
const NEVER_CACHE = [
  "/admin", "/api/v1/reminders", "/api/v1/push", "/sw.js", "/healthz", "/readyz",
];
// Fetched network-first like pages, so they stay current online and work offline.
const NETWORK_FIRST = ["/api/v1/checklist", "/api/v1/helplines", "/manifest.webmanifest"];
// Versioned files named by a page (href="/static/…?v=…") or by the manifest ("src": "/static/…").
const STATIC_URL = /(?:href|src)"?\s*[=:]\s*"(\/static\/[^"?#]+\?v=[\w-]+)"/g;
// Modules a script imports by a relative path (`import("./quick-exit.js")`): not versioned.
const MODULE_IMPORT = /\b(?:import\s*\(?|from)\s*["'](\.{1,2}\/[^"'?#]+)["']/g;
const CACHED_AT = "X-Steady-Cached-At"; // stored with a copy: when it was fetched
const FROM_CACHE = "X-Steady-From-Cache"; // added when a copy is served instead of the network
// The same date as a Server-Timing entry, which a page can read (PerformanceServerTiming)
// to say "list as of <date>" even when the browser believes it is online.
const TIMING_NAME = "steady-cache";
// Our cache keys are plain URLs (the language is in `?lang=`), so a copy stored from one
// request serves another whatever its Accept-Language (the pages `Vary` on it for HTTP caches).
const MATCH = { ignoreVary: true };

// The push half, at the URL of this version: a deploy that changes it changes VERSION (the
// hash covers every static file), so the browser installs a new worker that imports it afresh.
// importScripts must run while the worker first evaluates, and the browser stores what it
// imports with the worker, so it works offline like this file.
importScripts(`/static/sw-push.js?v=${encodeURIComponent(VERSION)}`);

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    const old = names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME);
    await Promise.all(old.map((name) => caches.delete(name)));
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return; // API writes and the no-JS self-check result
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER_CACHE.some((prefix) => url.pathname.startsWith(prefix))) {
    // Straight from the network, never stored. A page here (the console) must still take
    // the navigation preload the browser already sent: left alone, the browser asks the
    // server a second time, and the first answer (which took the page's one-time message,
    // such as "then confirm you did") is thrown away.
    if (request.mode === "navigate") event.respondWith(fromNetwork(event));
    return;
  }
  if (url.pathname.startsWith("/static/") && url.searchParams.has("v")) {
    event.respondWith(cacheFirst(event));
  } else if (request.mode === "navigate" || NETWORK_FIRST.some((p) => url.pathname.startsWith(p))
    || url.pathname.startsWith("/static/")) { // an unversioned file may change: fresh online
    event.respondWith(networkFirst(event, url));
  }
});

self.addEventListener("message", (event) => {
  if (event.data?.type !== "clear-device") return;
  // Nothing personal is in the caches (public pages and files only), so there is nothing to
  // delete here; the page clears its own storage. Answer on the port given, else the sender.
  const reply = { type: "clear-device", ok: true };
  if (event.ports[0]) event.ports[0].postMessage(reply);
  else event.source?.postMessage(reply);
});

// Cache every page one by one, so one that fails (offline, or not built yet) fails alone, and
// with each page the files it names (CSS, scripts, icons) and the modules those scripts
// import, so that a first visit offline has everything.
async function precache() {
  const cache = await caches.open(CACHE_NAME);
  const seen = new Set();
  const visit = async (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    try {
      const response = await fetch(path);
      if (!isStorable(response)) return;
      const type = response.headers.get("Content-Type") || "";
      const text = /text|json|javascript/.test(type) ? await response.clone().text() : "";
      await cache.put(path, stamped(response));
      await Promise.all(linkedFiles(text, path).map(visit));
    } catch {
      // Skipped: it is cached the first time it is used online.
    }
  };
  await Promise.all(PRECACHE.map(visit));
}

function linkedFiles(text, from) {
  const base = new URL(from, self.location.href);
  const named = [...text.matchAll(STATIC_URL)].map((match) => match[1]);
  const imported = [...text.matchAll(MODULE_IMPORT)]
    .map((match) => new URL(match[1], base).pathname)
    .filter((path) => path.startsWith("/static/"));
  return [...named, ...imported];
}

// A versioned URL never changes content: the cached copy is always right.
async function cacheFirst(event) {
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(event.request.url, MATCH);
  if (cached) return cached;
  const response = await fetch(event.request);
  if (isStorable(response)) event.waitUntil(cache.put(event.request.url, response.clone()));
  return response;
}

// The network when it answers within the timeout, else the stored copy, else (for a page)
// the offline page. A late answer still refreshes the cache for next time.
async function networkFirst(event, url) {
  const { request } = event;
  const network = fromNetwork(event);
  event.waitUntil(network.then((response) => keep(url, response.clone())).catch(() => {}));
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (response.status < 500) return response;
    return (await fromCache(request, url)) || response; // the server is down: a copy is better
  } catch {
    const cached = await fromCache(request, url);
    if (cached) return cached;
    try {
      return await network; // slow, but nothing better is stored
    } catch (error) {
      if (request.mode !== "navigate") throw error;
      return offlinePage(url);
    }
  }
}

// The answer to the navigation preload, if the browser sent one, else a fetch.
async function fromNetwork(event) {
  return (await event.preloadResponse) || fetch(event.request);
}

async function keep(url, response) {
  if (!isStorable(response)) return;
  const cache = await caches.open(CACHE_NAME);
  await cache.put(url.href, stamped(response));
}

// The exact URL; for a page, also the same page without its filters (keeping its language and
// country), then in the same language, then the bare path. A helpline list is only ever
// answered with a copy for the same country: never another country's list (the offline page
// says which are saved instead).
async function fromCache(request, url) {
  const country = (url.searchParams.get("country") || "").toUpperCase();
  let cached = await firstMatch([request.url]);
  if (!cached && request.mode === "navigate") {
    const countryKeys = country ? withCountry(url, country) : [];
    cached = await firstMatch(countryKeys);
    if (!cached) {
      const other = await firstMatch(inLanguage(url.pathname, url));
      const ownList = !COUNTRY_LISTS.includes(url.pathname) || !country;
      cached = other && (ownList || (await renderedFor(other)) === country) ? other : undefined;
    }
  }
  if (!cached) return undefined;
  const cachedAt = cached.headers.get(CACHED_AT) || "";
  return withHeaders(cached, {
    [FROM_CACHE]: cachedAt,
    "Server-Timing": `${TIMING_NAME};desc="${cachedAt}"`,
  });
}

async function offlinePage(url) {
  const page = await firstMatch(inLanguage(OFFLINE_PAGE, url));
  return page || new Response("You are offline.", {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

// The page for `country`, in the language asked for (either order of the two), then in any.
function withCountry(url, country) {
  const lang = url.searchParams.get("lang");
  const key = (pairs) => `${url.pathname}?${new URLSearchParams(pairs)}`;
  const keys = lang
    ? [key([["lang", lang], ["country", country]]), key([["country", country], ["lang", lang]])]
    : [];
  return [...keys, key([["country", country]])];
}

// The country a stored page was rendered for (<html data-country="…">).
async function renderedFor(response) {
  const text = await response.clone().text();
  return (/<html[^>]*\sdata-country="([A-Z]{2})"/.exec(text) || [])[1] || "";
}

// `path` in the language the request asked for, if it asked, then as it is.
function inLanguage(path, url) {
  const lang = url.searchParams.get("lang");
  return lang ? [`${path}?${new URLSearchParams({ lang })}`, path] : [path];
}

async function firstMatch(keys) {
  const cache = await caches.open(CACHE_NAME);
  for (const key of keys) {
    const cached = await cache.match(key, MATCH);
    if (cached) return cached;
  }
  return undefined;
}

function isStorable(response) {
  const cacheControl = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !/no-store/i.test(cacheControl);
}

function stamped(response) {
  return withHeaders(response, { [CACHED_AT]: new Date().toISOString() });
}

// A copy with more headers (this also drops a redirect flag, which navigations refuse).
function withHeaders(response, extra) {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  const { status, statusText } = response;
  return new Response(response.body, { status, statusText, headers });
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out")), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
