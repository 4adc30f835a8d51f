// /shared: opens the copy carried in the link's fragment, here on the device, and draws it
// read-only with the date it was made. Nothing is sent and nothing is kept.
import { openFromFragment, supported } from "./share-crypto.js";
import { longDate, renderDoc } from "./toolkit-doc.js";

function show(root) {
  const error = root.querySelector("[data-shared-error]");
  error.hidden = false;
  error.focus();
}

export async function init(root) {
  // Another link opened in this tab changes only the fragment: open it afresh.
  window.addEventListener("hashchange", () => window.location.reload());
  if (!supported()) return show(root);
  const doc = await openFromFragment(window.location.hash);
  if (!doc) return show(root);
  root.querySelector("[data-shared-error]").removeAttribute("data-reserve");
  const copy = root.querySelector("[data-shared-copy]");
  renderDoc(doc, copy, 2);
  copy.hidden = false;
  const made = root.querySelector("[data-shared-made]");
  made.textContent = made.dataset.template.replace("{date}", doc.created ? longDate(doc.created, doc.lang) : "–");
  root.querySelector("[data-shared-note]").hidden = false;
  root.querySelector("[data-shared-actions]").hidden = false;
  root.addEventListener("click", (event) => {
    if (event.target.closest("[data-action=print]")) window.print();
  });
}
