// The passcode lock's core: seal/open kept values, the prompt, the idle timer. Design: see
// js/lock-settings.js.
const CONFIG = "steady.lock";
const SESSION = "steady.lock.session";
const SESSION_DB = "steady-session";
export const KEY_LABEL = "steady.lock.key";
export const IDLE_MS = 5 * 60 * 1000;

let dataKey = null;
let asking = null;
const encoder = new TextEncoder();

export const toBase64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
export const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function readJson(storage, key) {
  try {
    return JSON.parse(storage.getItem(key) || "null");
  } catch {
    return null;
  }
}

export const config = () => readJson(localStorage, CONFIG);
export const isOn = () => Boolean(config());
export const isUnlocked = () => !isOn() || dataKey !== null;
export const isSealed = (value) => value?.v === 1 && typeof value.ct === "string";

export async function encrypt(key, bytes, label) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = encoder.encode(label);
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData }, key, bytes);
  return { v: 1, iv: toBase64(iv), ct: toBase64(ct) };
}

const decrypt = (key, sealed, label) =>
  crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: encoder.encode(label) },
    key,
    fromBase64(sealed.ct),
  );

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

const importKey = (raw) =>
  crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);

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

export async function useKey(raw) {
  dataKey = await importKey(raw);
  const algorithm = { name: "AES-GCM", length: 256 };
  const sessionKey = await crypto.subtle.generateKey(algorithm, false, ["encrypt", "decrypt"]);
  await sessionDb((store) => store.put(sessionKey, "current"));
  const sealed = await encrypt(sessionKey, raw, SESSION);
  sessionStorage.setItem(SESSION, JSON.stringify({ ...sealed, until: Date.now() + IDLE_MS }));
  watch();
}

export async function openDataKey(passcode) {
  const { salt, iterations, key } = config();
  try {
    return await decrypt(await deriveKey(passcode, fromBase64(salt), iterations), key, KEY_LABEL);
  } catch {
    return null;
  }
}

export async function unlock(passcode) {
  const raw = await openDataKey(passcode);
  if (raw) await useKey(raw);
  return Boolean(raw);
}

async function restore() {
  const session = readJson(sessionStorage, SESSION);
  try {
    if (!session || session.until < Date.now()) throw new Error("no session");
    const sessionKey = await sessionDb((store) => store.get("current"));
    const raw = await decrypt(sessionKey, session, SESSION);
    dataKey = await importKey(raw);
    watch();
    return true;
  } catch {
    lock();
    return false;
  }
}

export function lock() {
  const kept = dataKey !== null || isOn();
  dataKey = null;
  try {
    sessionStorage.removeItem(SESSION);
  } catch {
    /* storage blocked: nothing was kept */
  }
  if (kept && window.indexedDB) sessionDb((store) => store.delete("current")).catch(() => {});
}

// For reads that must never put the prompt before crisis help.
export const openWithoutAsking = async () => isUnlocked() || restore();

// Focused only when it first shows: a later ask never takes focus from crisis help.
function ask() {
  const panel = document.querySelector("[data-unlock]");
  if (!panel) return new Promise(() => {}); // what is kept stays shut
  const input = panel.querySelector("input");
  const error = panel.querySelector("#unlock-error");
  asking ||= new Promise((resolve) => {
    panel.querySelector("form").addEventListener("submit", async (event) => {
      event.preventDefault(); // the passcode never leaves this page
      const opened = input.value !== "" && (await unlock(input.value));
      input.value = "";
      error.hidden = opened;
      input.setAttribute("aria-invalid", String(!opened));
      if (!opened) return input.focus();
      panel.hidden = true;
      document.getElementById("main-content").focus();
      asking = null;
      resolve();
    });
  });
  if (panel.hidden) {
    panel.hidden = false;
    input.focus();
  }
  return asking;
}

export async function ready() {
  if (!(await openWithoutAsking())) await ask();
}

// Idle too long (or back after the lock fell due): lock, and reload so nothing stays shown.
let watching = false;
function watch() {
  if (watching) return;
  watching = true;
  const check = (moved) => {
    const session = readJson(sessionStorage, SESSION);
    if (!session) return;
    if (session.until < Date.now()) {
      lock();
      window.location.reload();
    } else if (moved === true) {
      session.until = Date.now() + IDLE_MS;
      sessionStorage.setItem(SESSION, JSON.stringify(session));
    }
  };
  for (const type of ["pointerdown", "keydown"]) document.addEventListener(type, () => check(true), true);
  setInterval(check, 15000);
  document.addEventListener("visibilitychange", () => document.hidden || check());
}

export async function seal(value, label) {
  if (!isOn() || value === undefined || value === null) return value;
  await ready();
  return encrypt(dataKey, encoder.encode(JSON.stringify(value)), label);
}

export async function open(value, label) {
  if (!isSealed(value)) return value; // kept before the lock was on
  await ready();
  return JSON.parse(new TextDecoder().decode(await decrypt(dataKey, value, label)));
}
