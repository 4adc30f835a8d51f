// Turning the passcode lock on, off, or changing its passcode (the /passcode page).
//
// How the key is kept. The data key is random (256 bits). It is kept only sealed (AES-GCM)
// under a key derived from the passcode with PBKDF2-SHA256, ITERATIONS rounds and a random
// 16-byte salt, in localStorage "steady.lock" = {v, salt, iterations, key: {v, iv, ct}}.
// AES-GCM's tag on the sealed key is the verifier: a wrong passcode fails to open it. A new
// passcode re-seals the same data key, so nothing kept has to be sealed again.
//
// From page to page. Steady is made of pages, and each forgets what the last held in memory.
// Once opened, the data key is sealed again under a throw-away session key: the sealed copy
// goes to sessionStorage (this tab only, gone with it) with the time the lock falls due; the
// session key goes, non-extractable, to its own IndexedDB database ("steady-session"). Neither
// half opens anything alone, and the data key itself is never written anywhere in the clear.
// Locking (idle, "Lock now", Quick exit) removes the sessionStorage half at once.
//
// What is kept is sealed, or opened, in place. Values are read whether sealed or not
// (js/vault.js), so a change cut short (a closed tab) leaves everything readable and can
// simply be done again.
import * as vault from "./vault.js";
import * as db from "./steady-db.js";

// What device-store.js keeps in localStorage: saved results, sedatives noted on /summary.
const SEALED_KEYS = ["steady.selfcheck.results", "steady.summary.sedatives"];

export const ITERATIONS = 600000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
export const MIN_LENGTH = 6;

async function writeConfig(passcode, raw) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const wrapping = await vault.deriveKey(passcode, salt, ITERATIONS);
  const key = await vault.encrypt(wrapping, raw, vault.KEY_LABEL);
  const settings = { v: 1, salt: vault.toBase64(salt), iterations: ITERATIONS, key };
  localStorage.setItem("steady.lock", JSON.stringify(settings));
}

// Every record of an IndexedDB store passed through `change`, written back in one transaction.
async function rewriteStore(name, change) {
  const kept = await db.inStore(name, "readonly", (store) => {
    const pairs = [];
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      if (!cursor.result) return;
      pairs.push([cursor.result.primaryKey, cursor.result.value]);
      cursor.result.continue();
    };
    return { result: pairs };
  });
  const changed = await Promise.all(kept.map(async ([key, value]) => [key, await change(value)]));
  await db.inStore(name, "readwrite", (store) => {
    for (const [key, value] of changed) {
      if (name === db.CHECKINS) store.put({ ...value, id: key }); // its key is inside
      else store.put(value, key);
    }
  });
}

async function rewriteEverything(change) {
  if (db.available()) {
    for (const name of db.SEALED) {
      await rewriteStore(name, async (value) => {
        const opened = await vault.open(value, name);
        const { id, ...fields } = opened ?? {}; // the journal's key stays outside the seal
        return change(name === db.CHECKINS ? fields : opened, name);
      });
    }
  }
  for (const key of SEALED_KEYS) {
    const text = localStorage.getItem(key);
    if (text === null) continue;
    const value = await change(await vault.open(JSON.parse(text), key), key);
    localStorage.setItem(key, JSON.stringify(value));
  }
}

// On: a new data key, then everything kept is sealed with it.
export async function turnOn(passcode) {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  await writeConfig(passcode, raw);
  await vault.useKey(raw);
  await rewriteEverything((value, label) => vault.seal(value, label));
}

// A new passcode for the same data key.
export async function changePasscode(current, next) {
  const raw = await vault.openDataKey(current);
  if (raw) await writeConfig(next, raw);
  return Boolean(raw);
}

// Off (only with the right passcode): everything opened again, then the lock forgotten.
export async function turnOff(passcode) {
  if (!(await vault.unlock(passcode))) return false;
  await rewriteEverything(async (value) => value);
  vault.lock();
  localStorage.removeItem("steady.lock");
  return true;
}
