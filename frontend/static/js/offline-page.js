// The offline page, shown by the service worker at the address that could not be opened. When
// that address is the helpline directory, say honestly that this country's list is not saved
// here, and which countries' lists are (read from the saved copies), never another's list.
const CODE = /^[A-Z]{2}$/;

function countryOf(url, html) {
  const asked = (url.searchParams.get("country") || "").toUpperCase();
  if (CODE.test(asked)) return asked;
  const rendered = /<html[^>]*\sdata-country="([A-Z]{2})"/.exec(html);
  return rendered ? rendered[1] : "";
}

async function savedCountries() {
  const found = new Set();
  if (!("caches" in window)) return found;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const url = new URL(request.url);
      if (url.pathname !== "/helplines") continue;
      const response = await cache.match(request);
      const code = countryOf(url, response ? await response.text() : "");
      if (code) found.add(code);
    }
  }
  return found;
}

export async function init(root) {
  if (location.pathname !== "/helplines") return;
  const box = root.querySelector("[data-offline-directory]");
  const [missing, saved] = box.querySelectorAll("p");
  const names = new Map(
    [...document.querySelectorAll("select[name=country] option")].map((o) => [o.value, o.text]),
  );
  const asked = (new URLSearchParams(location.search).get("country") || "").toUpperCase();
  let kept = "";
  try {
    kept = localStorage.getItem("steady.country") || "";
  } catch {
    /* storage blocked */
  }
  const wanted = CODE.test(asked) ? asked : kept;
  missing.textContent = wanted
    ? missing.dataset.missing.replace("{country}", names.get(wanted) || wanted)
    : missing.dataset.missingAny;
  let codes = [];
  try {
    codes = [...(await savedCountries())].filter((code) => code !== wanted);
  } catch {
    codes = [];
  }
  const list = codes.map((code) => names.get(code) || code).sort((a, b) => a.localeCompare(b));
  saved.textContent = list.length
    ? saved.dataset.saved.replace("{countries}", list.join(", "))
    : saved.dataset.savedNone;
  box.hidden = false;
}
