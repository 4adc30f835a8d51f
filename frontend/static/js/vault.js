// The passcode lock's key and the one layer every kept value passes through (issue 14).
//
// Lock off: seal() and open() hand values through unchanged.
// Lock on: values are kept as {v: 1, iv, ct}: AES-GCM (256-bit) of the value's JSON, with the
// store's name as additional data, so a value cannot be moved to another store unnoticed.
// The data key is random. It is kept only sealed under a key derived from the passcode
// (PBKDF2-SHA256, ITERATIONS rounds, a random 16-byte salt) in localStorage "steady.lock";
// AES-GCM's tag on that sealed key is the verifier: a wrong passcode fails to open it.
// After unlocking, the data key lives in this page's memory as a non-extractable CryptoKey.
//
// Steady is made of pages, so the next page would forget it. To carry it over without ever
// writing the key itself anywhere, it is sealed under a throw-away session key: the sealed
// copy goes to sessionStorage (this tab only, gone with it) with the time the lock falls
// due; the session key goes, non-extractable, to its own IndexedDB database. Neither half
// opens anything alone. Locking (idle, "Lock now", Quick exit) removes the sessionStorage
// half at once, synchronously, so even a page that is leaving cannot keep it; the other half
// is deleted too, and any stray copy is deleted at the next page load.
const CONFIG = "steady.lock";
const SESSION = "steady.lock.session";
const SESSION_DB = "steady-session";
const KEY_LABEL = "steady.lock.key";
export const ITERATIONS = 600000; // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
export const IDLE_MS = 5 * 60 * 1000;
export const MIN_LENGTH = 6;

let dataKey = null;
let asking = null;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
export const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export const supported = () =>
  Boolean(window.crypto?.subtle && window.indexedDB && window.localStorage);

function readJson(storage, key) {
  try {
    return JSON.parse(storage.getItem(key) || "null");
  } catch {
    return null;
  }
}

const config = () => readJson(localStorage, CONFIG);
export const isOn = () => Boolean(config());
export const isUnlocked = () => !isOn() || dataKey !== null;
export const isSealed = (value) =>
  Boolean(value) && value.v === 1 && typeof value.iv === "string" && typeof value.ct === "string";

async function encrypt(key, bytes, label) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(label) },
    key,
    bytes,
  );
  return { v: 1, iv: toBase64(iv), ct: toBase64(ct) };
}

async function decrypt(key, sealed, label) {
  return crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: encoder.encode(label) },
    key,
    fromBase64(sealed.ct),
  );
}

const importDataKey = (raw) =>
  crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);

export async function deriveKey(passcode, salt, iterations) {
  const base = await crypto.subtle.importKey("raw", encoder.encode(passcode), "PBKDF2", false, [
    "deriveKey",
  ]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", salt, iterations, hash: "SHA-256" },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

// --- the session half kept in IndexedDB ---------------------------------------------------

function sessionDb(work) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(SESSION_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore("keys");
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const transaction = db.transaction("keys", "readwrite");
      const result = work(transaction.objectStore("keys"));
      transaction.oncomplete = () => {
        db.close();
        resolve(result?.result);
      };
      transaction.onerror = () => {
        db.close();
        reject(transaction.error);
      };
    };
  });
}

async function keepSession(raw) {
  const sessionKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  await sessionDb((store) => store.put(sessionKey, "current"));
  const sealed = await encrypt(sessionKey, raw, SESSION);
  sessionStorage.setItem(SESSION, JSON.stringify({ ...sealed, until: Date.now() + IDLE_MS }));
}

// Moves the time the lock falls due (the page calls this on activity).
export function stillHere() {
  const session = readJson(sessionStorage, SESSION);
  if (session && session.until > Date.now()) {
    session.until = Date.now() + IDLE_MS;
    sessionStorage.setItem(SESSION, JSON.stringify(session));
  }
}

export const lockDueAt = () => readJson(sessionStorage, SESSION)?.until ?? 0;

async function restore() {
  const session = readJson(sessionStorage, SESSION);
  if (!session || session.until < Date.now()) {
    lock();
    return false;
  }
  try {
    const sessionKey = await sessionDb((store) => store.get("current"));
    dataKey = await importDataKey(await decrypt(sessionKey, session, SESSION));
    return true;
  } catch {
    lock();
    return false;
  }
}

// --- the passcode -------------------------------------------------------------------------

async function openDataKey(passcode) {
  const settings = config();
  const wrapping = await deriveKey(passcode, fromBase64(settings.salt), settings.iterations);
  try {
    return await decrypt(wrapping, settings.key, KEY_LABEL);
  } catch {
    return null; // the tag did not match: a wrong passcode
  }
}

// True when `passcode` opens the lock; the key is then kept for this tab until it locks.
export async function unlock(passcode) {
  const raw = await openDataKey(passcode);
  if (!raw) return false;
  dataKey = await importDataKey(raw);
  await keepSession(raw);
  document.dispatchEvent(new CustomEvent("steady:unlocked"));
  return true;
}

async function writeConfig(passcode, raw) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const wrapping = await deriveKey(passcode, salt, ITERATIONS);
  const key = await encrypt(wrapping, raw, KEY_LABEL);
  localStorage.setItem(
    CONFIG,
    JSON.stringify({ v: 1, salt: toBase64(salt), iterations: ITERATIONS, key }),
  );
}

// Turns the lock on with a new data key (the caller then seals what is kept: lock-settings.js).
export async function turnOn(passcode) {
  const raw = crypto.getRandomValues(new Uint8Array(32));
  await writeConfig(passcode, raw);
  dataKey = await importDataKey(raw);
  await keepSession(raw);
}

// A new passcode for the same data key: nothing kept has to be sealed again.
export async function changePasscode(current, next) {
  const raw = await openDataKey(current);
  if (!raw) return false;
  await writeConfig(next, raw);
  return true;
}


// After everything kept has been opened again (lock-settings.js): forget the lock.
export function forget() {
  lock();
  localStorage.removeItem(CONFIG);
}

// Forgets the key in this page and ends the session, the synchronous half first.
export function lock() {
  const wasOpen = dataKey !== null;
  dataKey = null;
  let hadSession = false;
  try {
    hadSession = sessionStorage.getItem(SESSION) !== null;
    sessionStorage.removeItem(SESSION);
  } catch {
    /* storage blocked: nothing was kept */
  }
  // Only where a session may have been kept (Quick exit calls this on every page).
  if (window.indexedDB && (wasOpen || hadSession || isOn())) {
    sessionDb((store) => store.delete("current")).catch(() => {});
  }
}

// True when kept values can be read without asking (the lock is off, open, or its session
// carries over to this page). For reads that must never put the prompt before other help.
export async function openWithoutAsking() {
  return isUnlocked() || restore();
}

// Resolves once kept values can be read: at once with the lock off or open, else after the
// session is restored or the person has typed the passcode (js/lock.js asks).
export async function ready() {
  if (isUnlocked()) return;
  if (await restore()) return;
  asking ||= import("./lock.js").then((module) => module.ask());
  await asking;
  asking = null;
}

// --- the layer values pass through --------------------------------------------------------

export async function seal(value, label) {
  if (!isOn() || value === undefined || value === null) return value;
  await ready();
  return encrypt(dataKey, encoder.encode(JSON.stringify(value)), label);
}

export async function open(value, label) {
  if (!isSealed(value)) return value; // kept before the lock was on (or being turned off)
  await ready();
  return JSON.parse(decoder.decode(await decrypt(dataKey, value, label)));
}
