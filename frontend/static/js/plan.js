// /plan: the safety plan, written and kept on this device only (toolkit-store.js). This module
// makes no request and its form never reaches the server. It fills the printable view from the
// kept plan (people with a number get a tap-to-call link) and offers the form to change it.
// Loaded by the plan page itself (not app.js), so other pages never download it.
import * as store from "./toolkit-store.js";

const PEOPLE_ROWS = 3;

const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (match, name) => values[name] ?? match);

const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);

// A number a phone can dial: digits, and + * # only (spaces and dashes dropped).
const dialable = (phone) => phone.replace(/[^\d+*#]/g, "");

function say(page, text) {
  page.status.textContent = text;
}

function personItem(page, person) {
  const item = document.createElement("li");
  const number = dialable(person.phone || "");
  if (person.name) {
    const name = document.createElement("span");
    name.className = "app-plan__name";
    name.textContent = person.name;
    item.append(name);
  }
  if (number) {
    const call = document.createElement("a");
    call.className = "app-reach__link app-reach__link--button";
    call.href = `tel:${number}`;
    call.textContent = fill(page.texts.call, { name: person.name || person.phone });
    const shown = document.createElement("span");
    shown.className = "app-plan__phone";
    shown.textContent = person.phone;
    item.append(" ", shown, call);
  }
  return item;
}

function renderView(page, plan) {
  for (const list of page.root.querySelectorAll("[data-items]")) {
    const id = list.dataset.items;
    const values = plan?.[id] || [];
    const items = store.PLAN_PEOPLE.includes(id)
      ? values.filter((person) => person.name || person.phone).map((p) => personItem(page, p))
      : values.map((text) => Object.assign(document.createElement("li"), { textContent: text }));
    list.replaceChildren(...items);
    list.hidden = items.length === 0;
    page.root.querySelector(`[data-blank="${id}"]`).hidden = items.length > 0;
  }
  const updated = page.root.querySelector("[data-updated]");
  updated.hidden = !plan?.updated;
  if (plan?.updated) {
    const date = new Date(plan.updated).toLocaleDateString(page.lang, { dateStyle: "long" });
    updated.textContent = fill(updated.dataset.label, { date });
  }
  const edit = page.root.querySelector("[data-action=edit]");
  edit.textContent = plan ? edit.dataset.change : edit.dataset.start;
  page.deleteBox.hidden = !plan;
}

function addPersonRow(fieldset, person = {}) {
  const row = fieldset.querySelector("template[data-person-row]").content.cloneNode(true);
  row.querySelector("[name=name]").value = person.name || "";
  row.querySelector("[name=phone]").value = person.phone || "";
  fieldset.querySelector("[data-person-rows]").append(row);
}

function fillForm(page, plan) {
  const current = plan || store.emptyPlan();
  for (const id of store.PLAN_LISTS) page.form.elements[id].value = current[id].join("\n");
  for (const fieldset of page.form.querySelectorAll("[data-people]")) {
    const people = current[fieldset.dataset.people] || [];
    fieldset.querySelector("[data-person-rows]").replaceChildren();
    for (let i = 0; i < Math.max(PEOPLE_ROWS, people.length + 1); i += 1) {
      addPersonRow(fieldset, people[i]);
    }
  }
}

function readForm(page) {
  const plan = store.emptyPlan();
  for (const id of store.PLAN_LISTS) plan[id] = lines(page.form.elements[id].value);
  for (const fieldset of page.form.querySelectorAll("[data-people]")) {
    plan[fieldset.dataset.people] = [...fieldset.querySelectorAll(".app-plan__person")]
      .map((row) => ({
        name: row.querySelector("[name=name]").value.trim(),
        phone: row.querySelector("[name=phone]").value.trim(),
      }))
      .filter((person) => person.name || person.phone);
  }
  return plan;
}

function show(page, state) {
  page.root.dataset.state = state;
  page.form.hidden = state !== "edit";
  page.actions.hidden = state === "edit";
}

function startEditing(page) {
  fillForm(page, page.plan);
  show(page, "edit");
  say(page, "");
  page.form.querySelector("textarea, input").focus();
}

async function save(page) {
  try {
    page.plan = await store.savePlan(readForm(page));
    say(page, page.texts.saved);
  } catch {
    say(page, page.texts.saved_nothing);
    return;
  }
  renderView(page, page.plan);
  show(page, "view");
  // The form (and the button pressed) is gone: focus goes where the plan's actions start,
  // and the status line says it is saved.
  page.actions.querySelector("[data-action=edit]").focus();
}

async function remove(page) {
  try {
    await store.deletePlan();
  } catch {
    return;
  }
  page.plan = null;
  renderView(page, null);
  page.confirmBox.hidden = true;
  say(page, page.texts.deleted);
}

function onClick(page, event) {
  const action = event.target.closest("button[data-action]")?.dataset.action;
  const toggle = page.root.querySelector("[data-action=delete]");
  if (action === "edit") startEditing(page);
  else if (action === "print") window.print();
  else if (action === "cancel") {
    show(page, "view");
    page.actions.querySelector("button").focus();
  } else if (action === "add-person") {
    const fieldset = event.target.closest("[data-people]");
    addPersonRow(fieldset);
    [...fieldset.querySelectorAll("[name=name]")].pop().focus();
  } else if (action === "delete" || action === "cancel-delete") {
    page.confirmBox.hidden = action === "cancel-delete";
    toggle.setAttribute("aria-expanded", String(!page.confirmBox.hidden));
    if (action === "cancel-delete") toggle.focus();
  } else if (action === "confirm-delete") remove(page);
}

export async function init(root) {
  const textsElement = document.getElementById("app-plan-texts");
  const form = root.querySelector("[data-plan-form]");
  if (!textsElement || !form) return;
  const page = {
    root,
    form,
    texts: JSON.parse(textsElement.textContent),
    lang: document.documentElement.lang || "en",
    status: root.querySelector("[data-status]"),
    actions: root.querySelector("[data-plan-actions]"),
    deleteBox: root.querySelector("[data-plan-delete]"),
    confirmBox: root.querySelector("[data-confirm-delete]"),
    plan: null,
  };
  page.actions.hidden = false;
  if (!store.available()) {
    page.actions.querySelector("[data-action=edit]").hidden = true;
    say(page, page.texts.no_storage);
    return;
  }
  try {
    page.plan = await store.loadPlan();
  } catch {
    page.plan = null;
  }
  renderView(page, page.plan);
  root.addEventListener("click", (event) => onClick(page, event));
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // never sent: kept on this device
    save(page);
  });
}

const root = document.querySelector("[data-module=app-plan]");
if (root) init(root).then(() => root.setAttribute("data-module-started", ""));
