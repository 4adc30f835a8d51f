// "Share a private copy" (toolkit/_share.html): the summary on the screen, or the safety plan
// kept on this phone, sealed into a link (js/share-crypto.js) and drawn as a QR code here
// (vendored uqr). Nothing is sent: the link is made, shown and copied on the device.
import * as db from "./steady-db.js";
import { sealForLink, supported } from "./share-crypto.js";
import { encode } from "./vendor/uqr.js";
import { longDate } from "./toolkit-doc.js";

const SVG = "http://www.w3.org/2000/svg";
const PLAN_LISTS = ["warning_signs", "coping", "distractions", "safer_home", "reasons"];
const PLAN_ORDER = ["warning_signs", "coping", "distractions", "helpers", "professionals", "safer_home", "reasons"];

function planDoc(plan, texts, lang) {
  const sections = PLAN_ORDER.map((id) => {
    const items = (plan[id] || []).filter((item) => (PLAN_LISTS.includes(id) ? String(item).trim() : item?.name || item?.phone));
    if (!items.length) return null;
    const blocks = PLAN_LISTS.includes(id) ? [{ list: items.map(String) }] : [{ contacts: items.map(({ name, phone }) => ({ name: name || "", phone: phone || "" })) }];
    return { id, heading: texts.headings[id], blocks };
  }).filter(Boolean);
  const created = new Date().toISOString();
  return {
    v: 1, kind: "plan", lang, title: texts.title, created,
    made: texts.made.replace("%(date)s", longDate(created, lang)), footer: texts.footer, sections,
  };
}

// The QR code as one SVG path, dark on light whatever the colour scheme (scanners need it),
// inside the light margin of 4 modules that the QR standard asks for (ISO/IEC 18004's quiet
// zone): on a dark page, that margin is all that sets the code apart.
const QUIET_ZONE = 4;

function drawQr(figure, text, label) {
  const { data, size } = encode(text, { ecc: "L", border: QUIET_ZONE });
  const drawing = document.createElementNS(SVG, "svg");
  drawing.setAttribute("viewBox", `0 0 ${size} ${size}`);
  drawing.setAttribute("class", "app-share__code");
  drawing.setAttribute("role", "img");
  drawing.setAttribute("aria-label", label);
  const back = document.createElementNS(SVG, "rect");
  back.setAttribute("width", size);
  back.setAttribute("height", size);
  back.setAttribute("fill", "#fff");
  const path = document.createElementNS(SVG, "path");
  let d = "";
  data.forEach((row, y) => row.forEach((dark, x) => { if (dark) d += `M${x} ${y}h1v1h-1z`; }));
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  drawing.append(back, path);
  figure.querySelector("svg")?.remove();
  figure.prepend(drawing);
}

async function makeLink(root, doc) {
  const status = root.querySelector("[data-share-status]");
  const result = root.querySelector("[data-share-result]");
  const figure = root.querySelector("[data-share-qr]");
  status.textContent = "";
  let link;
  try {
    link = await sealForLink(doc, root.dataset.sharedUrl);
  } catch {
    status.textContent = status.dataset.failed;
    return;
  }
  const field = root.querySelector("[data-share-link]");
  field.value = link;
  result.hidden = false;
  try {
    drawQr(figure, link, figure.querySelector("figcaption").textContent);
    figure.hidden = false;
    root.querySelector("[data-share-too-long]").hidden = true;
  } catch {
    figure.hidden = true; // more than a QR code can hold
    root.querySelector("[data-share-too-long]").hidden = false;
  }
  root.querySelector("[data-action=send-link]").hidden = !navigator.share;
  field.focus();
  field.select();
}

async function copyLink(root) {
  const field = root.querySelector("[data-share-link]");
  const status = root.querySelector("[data-share-status]");
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    field.select();
    document.execCommand?.("copy");
  }
  status.textContent = status.dataset.copied;
}

export async function init(root) {
  if (!supported()) return;
  const kind = root.dataset.shareKind;
  const lang = document.documentElement.lang || "en";
  let doc = null;
  const offer = (next) => {
    doc = next;
    root.hidden = !doc || !doc.sections.length;
    root.querySelector("[data-share-result]").hidden = true;
  };
  document.addEventListener("steady:shareable", (event) => {
    if (event.detail?.kind === kind) offer(event.detail.doc);
  });
  root.addEventListener("click", (event) => {
    const action = event.target.closest("button[data-action]")?.dataset.action;
    if (action === "make-link" && doc && kind !== "plan") makeLink(root, doc);
    else if (action === "copy-link") copyLink(root);
    else if (action === "send-link") navigator.share?.({ url: root.querySelector("[data-share-link]").value }).catch(() => {});
  });
  if (kind === "plan" && db.available()) {
    // The plan as kept when the link is made (it may have changed since the page opened).
    const texts = JSON.parse(root.querySelector("[data-share-texts]").textContent);
    root.hidden = false;
    root.addEventListener("click", async (event) => {
      if (!event.target.closest("[data-action=make-link]")) return;
      const plan = await db.get(db.PLAN, "current").catch(() => null);
      const status = root.querySelector("[data-share-status]");
      const built = plan ? planDoc(plan, texts, lang) : null;
      if (built?.sections.length) makeLink(root, built);
      else status.textContent = status.dataset.empty;
    });
  }
}
