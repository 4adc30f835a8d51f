// What this device keeps about its reminder: the subscription's id and secret manage token,
// with a copy of the schedule to show offline. The page reads localStorage
// ("steady.reminder"); the service worker cannot, so a copy goes to IndexedDB ("steady",
// store "reminder", key "current"), from which the service worker (sw-push.js) stops the reminders or re-subscribes.
// Importing this module registers the clean-up that deletes the server subscription when
// "Delete everything on this device" is pressed.
import { onDeleteEverything } from "./device-store.js";
import * as api from "./reminders-api.js";
import * as db from "./steady-db.js";

const KEY = "steady.reminder";
const RECORD = "current";

function readLocal() {
  try {
    const text = localStorage.getItem(KEY);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

// "Delete everything" wipes storage before it runs the clean-ups, so keep the id and token
// in memory from the moment this module loads (and after every change).
let remembered = readLocal();

async function readShared() {
  try {
    return db.available() ? ((await db.get(db.REMINDER, RECORD)) ?? null) : null;
  } catch {
    return null;
  }
}

async function writeShared(reminder) {
  try {
    if (db.available()) await db.put(db.REMINDER, reminder, RECORD);
  } catch {
    /* no IndexedDB (some private windows): "Stop these reminders" cannot work, the page can */
  }
}

// The reminder this device holds, or null. When the service worker re-subscribed (a new
// push address, so a new id and token), its copy is the newer one.
export async function load() {
  const local = readLocal();
  const shared = await readShared();
  if (shared && shared.id !== local?.id) {
    await keep(shared);
    return shared;
  }
  if (local && !shared) await writeShared(local);
  remembered = local;
  return local;
}

export async function keep(reminder) {
  remembered = reminder;
  try {
    localStorage.setItem(KEY, JSON.stringify(reminder));
  } catch {
    /* storage blocked: the shared copy below still lets the worker stop them */
  }
  await writeShared(reminder);
}

export async function forget() {
  remembered = null;
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* nothing was kept */
  }
  try {
    if (db.available()) await db.remove(db.REMINDER, RECORD);
  } catch {
    /* nothing was kept */
  }
}

// Ends the browser's own push subscription (best effort: the server copy is what matters).
export async function unsubscribePush() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration("/");
    const subscription = await registration?.pushManager?.getSubscription();
    await subscription?.unsubscribe();
  } catch {
    /* already gone */
  }
}

// Deletes the reminders on the server, then on this device. Throws when the server could
// not be reached (nothing is forgotten then, so the person can try again).
export async function deleteEverywhere(reminder) {
  await api.remove(reminder);
  await unsubscribePush();
  await forget();
}

onDeleteEverything(async () => {
  const reminder = remembered;
  if (!reminder) return;
  remembered = null;
  try {
    await api.remove(reminder);
  } finally {
    await unsubscribePush();
  }
});
