// What Steady keeps on this device, in one place. Nothing here is ever sent anywhere.
// - the self-check in progress: sessionStorage (this tab only), cleared by Quick exit;
// - saved self-check results: localStorage, only when the person presses "Save";
// - check-ins, plan, diary: IndexedDB "steady"; sedatives noted on /summary: localStorage.
// Saved values pass through js/vault.js (the passcode lock).
import * as vault from "./vault.js";

const IN_PROGRESS = "steady.selfcheck.in-progress";
const RESULTS = "steady.selfcheck.results";
const DATABASES = ["steady", "steady-session"];

function read(storage, key, fallback) {
  try {
    const text = storage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

function write(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // storage full or blocked (some private windows): keep going without it
  }
}

export const loadInProgress = () => read(sessionStorage, IN_PROGRESS, {});
export const saveInProgress = (answers) => write(sessionStorage, IN_PROGRESS, answers);

// Also ends the passcode lock's session in this tab (Quick exit locks).
export function clearInProgress() {
  try {
    sessionStorage.removeItem(IN_PROGRESS);
    sessionStorage.removeItem("steady.lock.session");
  } catch {
    /* storage blocked: nothing was kept */
  }
}

export const loadSealed = async (key, fallback) =>
  (await vault.open(read(localStorage, key, null), key)) ?? fallback;
export const saveSealed = async (key, value) => write(localStorage, key, await vault.seal(value, key));

export const loadResults = () => loadSealed(RESULTS, []);

export const loadResultsWithoutAsking = async () =>
  (await vault.openWithoutAsking()) ? loadResults() : [];

export async function saveResult(result) {
  const saved = {
    date: new Date().toISOString(),
    band: result.band,
    score: result.score,
    max_score: result.max_score,
    signs: result.signs,
  };
  const results = await loadResults();
  results.push(saved);
  return (await saveSealed(RESULTS, results)) ? results : null;
}


// "Delete everything on this device": every key Steady wrote, every database it made.
// Later features register extra clean-ups (e.g. deleting a reminder subscription).
const cleanups = [];
export const onDeleteEverything = (cleanup) => cleanups.push(cleanup);

// Resolves to true when every clean-up worked (false: e.g. the server could not be reached to
// delete the reminders; this device's copies are deleted all the same).
export async function deleteEverything() {
  // Clean-ups run first, while what they need (e.g. a reminder's manage token) still exists.
  const outcomes = await Promise.all(cleanups.map((cleanup) =>
    Promise.resolve().then(cleanup).then(() => true, () => false)));
  for (const storage of [localStorage, sessionStorage]) {
    try {
      for (const key of Object.keys(storage)) {
        if (key.startsWith("steady.")) storage.removeItem(key);
      }
    } catch {
      /* storage blocked: nothing was kept */
    }
  }
  if ("indexedDB" in window) {
    await Promise.all(DATABASES.map((name) => new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    })));
  }
  return outcomes.every(Boolean);
}
