// The device's own database: IndexedDB "steady", never sent anywhere.
// - "checkins": the check-in journal (one record per check-in, key = an increasing number);
// - "reminder": one record, "current", with this device's reminder id and manage token, so
//   the service worker (which cannot read localStorage) can stop the reminders;
// - "plan": the safety plan, one record, "current" (the toolkit, /plan);
// - "taper": the taper diary: "steps" (the prescriber's steps as typed) and one record per
//   day, keyed "day:YYYY-MM-DD" (the toolkit, /taper);
// - "shown": the ids of the last reminder occurrences the service worker has shown, one
//   record, "ids", so a repeated push is never shown twice.
// The service worker's push half (sw-push.js) opens the same database with the same version
// and stores: keep the two in step.
// SEALED stores pass through js/vault.js (the passcode lock).
// Each call opens, works and closes, so "Delete everything on this device" is never blocked
// by a connection left open.
import * as vault from "./vault.js";

const NAME = "steady";
const VERSION = 2;
export const CHECKINS = "checkins";
export const REMINDER = "reminder";
export const PLAN = "plan";
export const TAPER = "taper";
export const SHOWN = "shown";

export const SEALED = [CHECKINS, PLAN, TAPER];

export const available = () => "indexedDB" in window;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(CHECKINS)) {
        db.createObjectStore(CHECKINS, { keyPath: "id", autoIncrement: true });
      }
      for (const name of [REMINDER, PLAN, TAPER, SHOWN]) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => db.close(); // someone is deleting the database: let them
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("database blocked"));
  });
}

// Runs `work(store)` in one transaction and resolves with the value of the request it
// returns (if any) once the transaction has completed.
export async function inStore(name, mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = work(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("aborted"));
    });
  } finally {
    db.close();
  }
}

// The journal's `id` stays outside the seal: IndexedDB needs it.
async function seal(name, value) {
  const kept = SEALED.includes(name) ? await vault.seal(value, name) : value;
  return kept !== value && value.id !== undefined ? { ...kept, id: value.id } : kept;
}

async function unseal(name, value) {
  const opened = SEALED.includes(name) ? await vault.open(value, name) : value;
  return opened !== value && value.id !== undefined ? { ...opened, id: value.id } : opened;
}

export const getAll = async (name) =>
  Promise.all(
    (await inStore(name, "readonly", (store) => store.getAll())).map((v) => unseal(name, v)),
  );
export const get = async (name, key) =>
  unseal(name, await inStore(name, "readonly", (store) => store.get(key)));
export const add = async (name, value) => {
  const sealed = await seal(name, value);
  return inStore(name, "readwrite", (store) => store.add(sealed));
};
export const put = async (name, value, key) => {
  const sealed = await seal(name, value);
  return inStore(name, "readwrite", (store) => store.put(sealed, key));
};
export const remove = (name, key) => inStore(name, "readwrite", (store) => store.delete(key));
export const clear = (name) => inStore(name, "readwrite", (store) => store.clear());
