// Steady's service worker, push half (check-in reminders, issue 4): show a pushed reminder,
// open the check-in when it is tapped, stop the reminders from the notification, and
// re-subscribe when the browser replaces its push subscription. Imported by /sw.js (the offline
// half) with importScripts, so it runs in the same worker scope: a classic script, not a module.
// The payload is tiny and says nothing personal: {"o": occurrence id, "m": message key,
// "l": language}. The texts live here because a notification is shown without any page; tests
// keep them equal to the pages' translations.
const NOTIFICATION_TITLE = "Steady";
const NOTIFICATION_ICON = "/static/icons/icon-192.png";
const CHECK_IN_PAGE = "/check-in";
const STOP_ACTION = "stop";
const NOTIFICATION_TEXTS = {
  en: {
    messages: {
      checkin: "Time for your check-in",
      moment: "A moment for you",
      hello: "Hello from Steady",
    },
    stop: "Stop these reminders",
    stopped: "Reminders are off. You can set them up again on the Reminders page.",
  },
  es: {
    messages: {
      checkin: "Es hora de revisar cómo estás",
      moment: "Un momento para ti",
      hello: "Un saludo de Steady",
    },
    stop: "Detener estos recordatorios",
    stopped: "Los recordatorios están desactivados. "
      + "Puedes volver a activarlos en la página Recordatorios.",
  },
};
// This device's reminder id and manage token, written by the page (js/reminder-device.js)
// into IndexedDB, which a worker can read (localStorage it cannot). Same database, version
// and stores as js/steady-db.js.
const DB_NAME = "steady";
const DB_VERSION = 2;
const REMINDER_STORE = "reminder";
const REMINDER_KEY = "current";
const REMINDERS_API = "/api/v1/reminders";
// The ids of the last SHOWN_KEEP occurrences shown, under one key (issue 12): a push service
// may deliver one occurrence twice (after a worker crash no send is exactly-once), and the
// second copy must not show again, even after the first was dismissed.
const SHOWN_STORE = "shown";
const SHOWN_KEY = "ids";
const SHOWN_KEEP = 100;

self.addEventListener("push", (event) => {
  const reminder = pushedReminder(event);
  event.waitUntil(showOnce(reminder));
});

// Show a reminder unless this occurrence was shown already. A repeat shows nothing: the
// browser tolerates an occasional push without a notification, and a reminder seen twice is
// worse. If the device's storage fails, show it (a repeat beats a missed reminder).
async function showOnce(reminder) {
  const first = await markShown(reminder.occurrence).catch(() => true);
  if (!first) return;
  const texts = NOTIFICATION_TEXTS[reminder.lang];
  await self.registration.showNotification(NOTIFICATION_TITLE, {
    body: texts.messages[reminder.message],
    lang: reminder.lang,
    tag: `steady-reminder-${reminder.occurrence}`,
    icon: NOTIFICATION_ICON,
    data: { lang: reminder.lang },
    actions: [{ action: STOP_ACTION, title: texts.stop }],
  });
}

// True when `occurrence` was not among the shown ones (it is now): read, check and write in
// one transaction, so two copies arriving together cannot both pass.
async function markShown(occurrence) {
  const db = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(SHOWN_STORE, "readwrite");
      const store = transaction.objectStore(SHOWN_STORE);
      let first = false;
      const read = store.get(SHOWN_KEY);
      read.onsuccess = () => {
        const ids = Array.isArray(read.result) ? read.result : [];
        if (ids.includes(occurrence)) return;
        first = true;
        store.put([...ids, occurrence].slice(-SHOWN_KEEP), SHOWN_KEY);
      };
      transaction.oncomplete = () => resolve(first);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("aborted"));
    });
  } finally {
    db.close();
  }
}

self.addEventListener("notificationclick", (event) => {
  const { notification } = event;
  const lang = notification.data?.lang === "es" ? "es" : "en";
  notification.close();
  event.waitUntil(event.action === STOP_ACTION ? stopReminders(lang) : openCheckIn(lang));
});

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe(event).catch(() => {
    // Best effort: the page offers to set reminders up again if this fails.
  }));
});

// The payload's fields, with safe defaults for anything missing or unknown.
function pushedReminder(event) {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = {};
  }
  const lang = payload.l === "es" ? "es" : "en";
  const known = Object.hasOwn(NOTIFICATION_TEXTS[lang].messages, payload.m);
  const message = known ? payload.m : "checkin";
  const occurrence = payload.o === undefined || payload.o === null ? null : String(payload.o);
  return { occurrence: occurrence ?? `unknown-${Date.now()}`, message, lang };
}

// Focus a window already on the check-in, else take an open Steady window there, else open one.
async function openCheckIn(lang) {
  const url = new URL(CHECK_IN_PAGE, self.location.origin);
  if (lang === "es") url.searchParams.set("lang", "es");
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const onCheckIn = windows.find((client) => new URL(client.url).pathname === CHECK_IN_PAGE);
  if (onCheckIn) return onCheckIn.focus();
  for (const client of windows) {
    try {
      const focused = await client.focus();
      return await focused.navigate(url.href);
    } catch {
      // Not ours to steer (not controlled by this worker): open a new window instead.
    }
  }
  return self.clients.openWindow(url.href);
}

// "Stop these reminders": delete the subscription on the server with this device's token,
// then end the browser's push subscription (so even if the server could not be reached,
// the push service answers 410 next time and the server deletes it then).
async function stopReminders(lang) {
  const reminder = await readReminder();
  if (reminder && (await deleteOnServer(reminder))) await writeReminder(undefined);
  const subscription = await self.registration.pushManager.getSubscription();
  await subscription?.unsubscribe().catch(() => false);
  await self.registration.showNotification(NOTIFICATION_TITLE, {
    body: NOTIFICATION_TEXTS[lang].stopped,
    lang,
    tag: "steady-reminders-stopped",
    icon: NOTIFICATION_ICON,
  });
}

// True when the server no longer has the subscription (deleted now, or already gone).
async function deleteOnServer(reminder) {
  try {
    const response = await fetch(`${REMINDERS_API}/${encodeURIComponent(reminder.id)}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${reminder.token}` },
      cache: "no-store",
    });
    return response.ok || response.status === 404;
  } catch {
    return false; // offline: the page can still delete it later
  }
}

// The browser replaced this device's push address: register the new one with the same
// schedule (a new id and token), delete the old one, and keep the new id for the page.
async function resubscribe(event) {
  const reminder = await readReminder();
  if (!reminder) return;
  let subscription = event.newSubscription;
  if (!subscription) {
    const options = event.oldSubscription?.options
      || { userVisibleOnly: true, applicationServerKey: await serverKey() };
    subscription = await self.registration.pushManager.subscribe(options);
  }
  const { endpoint, keys } = subscription.toJSON();
  const { days, times, timezone, paused_until: pausedUntil } = reminder.schedule;
  const schedule = { days, times, timezone, ...(pausedUntil ? { paused_until: pausedUntil } : {}) };
  const response = await fetch(REMINDERS_API, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      subscription: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } },
      schedule,
      message: reminder.message,
      lang: reminder.lang,
    }),
    cache: "no-store",
  });
  if (!response.ok) return;
  const created = await response.json();
  if (String(created.id) !== String(reminder.id)) await deleteOnServer(reminder);
  const { id, token, next_due_at: nextDueAt = null } = created;
  await writeReminder({ ...reminder, id, token, next_due_at: nextDueAt });
}

async function serverKey() {
  const response = await fetch("/api/v1/push/key", { cache: "no-store" });
  const { public_key: key } = await response.json();
  const base64 = key.replace(/-/g, "+").replace(/_/g, "/");
  const text = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function openDatabase() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("checkins")) {
        db.createObjectStore("checkins", { keyPath: "id", autoIncrement: true });
      }
      for (const name of [REMINDER_STORE, "plan", "taper", "shown"]) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
      }
    };
    request.onsuccess = () => {
      request.result.onversionchange = () => request.result.close();
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("database blocked"));
  });
}

// Reads (`value` omitted) or writes (`undefined` deletes) the one reminder record.
async function reminderRecord(mode, value) {
  const db = await openDatabase();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(REMINDER_STORE, mode);
      const store = transaction.objectStore(REMINDER_STORE);
      let request;
      if (mode === "readonly") request = store.get(REMINDER_KEY);
      else if (value === undefined) store.delete(REMINDER_KEY);
      else store.put(value, REMINDER_KEY);
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

const readReminder = () => reminderRecord("readonly").catch(() => undefined);
const writeReminder = (value) => reminderRecord("readwrite", value).catch(() => undefined);
