// "Your country", chosen once and kept on this device (localStorage "steady.country"; never a
// cookie, never sent anywhere except as ?country= in the links the person follows).
//
// The server renders every page for the country in its address (?country=), else the one the
// browser's language names. This module, started on the emergency strip's control:
// - keeps the choice when the control's form is sent (the form itself then loads the page
//   with ?country=, as it does without JavaScript);
// - on a page opened without ?country= (the home screen icon, a bookmark), puts the kept
//   country on every link of this site, so the next page is rendered for it;
// - when the page was rendered for another country than the one wanted (that link, an
//   offline copy), switches the emergency number, its TTY line, Quick exit and the control's
//   own words in place (same boxes, so nothing moves), and puts a link to the right country's
//   helplines in place of lines meant for another country.
const KEY = "steady.country";
const CODE = /^[A-Z]{2}$/;
const SKIP = /^\/(static|api|admin|sw\.js)/;

export function read() {
  try {
    const code = localStorage.getItem(KEY) || "";
    return CODE.test(code) ? code : "";
  } catch {
    return ""; // storage blocked: the address still carries the country
  }
}

function keep(code) {
  try {
    if (CODE.test(code)) localStorage.setItem(KEY, code);
  } catch {
    /* storage blocked (some private windows): this visit still uses ?country= */
  }
}

export function withCountry(href, code) {
  const url = new URL(href, location.href);
  if (url.origin !== location.origin || SKIP.test(url.pathname)) return null;
  url.searchParams.set("country", code);
  return url.pathname + url.search + url.hash;
}

function carryOnLinks(code) {
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (!href || href.startsWith("#") || /^(tel|sms|mailto):/.test(href)) continue;
    const next = withCountry(href, code);
    if (next) link.setAttribute("href", next);
  }
  const filter = document.querySelector("select#filter-country");
  if (filter && !new URLSearchParams(location.search).has("country")) filter.value = code;
}

const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (match, name) => values[name] ?? match);

function switchTo(option) {
  const code = option.value;
  const { number, tty } = option.dataset;
  for (const call of document.querySelectorAll("[data-emergency-call]")) {
    call.href = `tel:${number}`;
    call.textContent = fill(call.dataset.label, { number });
  }
  for (const note of document.querySelectorAll("[data-emergency-general]")) note.hidden = true;
  for (const line of document.querySelectorAll("[data-emergency-tty]")) {
    line.hidden = !tty;
    if (tty) line.textContent = fill(line.dataset.label, { tty });
  }
  const summary = document.querySelector("[data-country-summary]");
  if (summary) summary.textContent = fill(summary.dataset.label, { country: option.text });
  const exit = document.querySelector(".app-quick-exit");
  if (exit) exit.href = option.dataset.exit || exit.dataset.default || exit.href;
  for (const block of document.querySelectorAll("[data-country-lines]")) {
    if (block.dataset.countryLines === code) continue;
    block.hidden = true;
    const elsewhere = block.nextElementSibling;
    const link = elsewhere?.matches("[data-country-elsewhere]") && elsewhere.querySelector("a");
    if (!link) continue;
    link.href = withCountry(location.href, code) || link.href;
    link.textContent = fill(link.dataset.label, { country: option.text });
    elsewhere.hidden = false;
  }
}

export function init(strip) {
  const select = strip.querySelector("select[name=country]");
  if (!select) return;
  select.form.addEventListener("submit", () => keep(select.value));

  const asked = (new URLSearchParams(location.search).get("country") || "").toUpperCase();
  const kept = read();
  if (!asked && kept) carryOnLinks(kept);
  const wanted = CODE.test(asked) ? asked : kept;
  const rendered = document.documentElement.dataset.country || "";
  if (!wanted || wanted === rendered) return;
  const option = [...select.options].find((candidate) => candidate.value === wanted);
  if (!option) return; // a country without a checked number: the page's advice stands
  select.value = wanted;
  switchTo(option);
}
