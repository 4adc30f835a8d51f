"""What a phone keeps, for the toolkit's browser tests: a person's data written straight into
IndexedDB and localStorage in the agreed shapes (as the journal, the self-check, js/plan.js
and js/taper.js keep them), and the raw values read back as they lie on the device."""

from __future__ import annotations

PLAN = {
    "updated": "2026-11-20T10:00:00.000Z",
    "warning_signs": ["Counting pills at night"],
    "coping": ["Walk round the block"],
    "distractions": ["Cafe Lumen on Calle Mayor"],
    "helpers": [{"name": "Aunt Rosa", "phone": "+34 600 111 222"}],
    "professionals": [{"name": "Dr Okafor", "phone": "+34 600 333 444"}],
    "safer_home": ["Rosa keeps the supply"],
    "reasons": ["My daughter Lucia"],
}
STEPS = [
    {"date": "2026-11-02", "dose": "1.5 mg a day", "note": "Dr Okafor, first step"},
    {"date": "2026-11-16", "dose": "1.25 mg a day", "note": "second step"},
]
SYMPTOMS = ("sleep", "anxiety", "tremor", "sweating", "senses", "aches", "unreal", "mood")


def day(date: str, level: int, flags=()) -> dict:
    return {
        "date": date,
        "taken": "yes",
        "symptoms": dict.fromkeys(SYMPTOMS, level),
        "red_flags": list(flags),
        "note": f"diary note {date}",
    }


DAYS = [day("2026-11-10", 1), day("2026-11-17", 2), day("2026-11-18", 3)]
CHECK_INS = [
    {
        "date": f"2026-11-{d:02d}T09:00:00.000Z",
        "feeling": 3,
        "sleep": 2,
        "anxiety": 4,
        "cravings": 2,
        "as_prescribed": "yes",
        "withdrawal": "mild",
        "reducing": "yes",
    }
    for d in (12, 15, 18)
]
RESULTS = [
    {
        "date": "2026-11-14T08:00:00.000Z",
        "band": "some",
        "score": 5,
        "max_score": 20,
        "signs": ["more_than_prescribed", "early_refills"],
    }
]
# Words from the data above that must never appear outside the device, nor in the clear on it
# with the lock on.
SECRETS = ["Counting pills", "Aunt Rosa", "Lucia", "1.25 mg", "diary note", "early_refills"]

SEED = """async ({ plan, steps, days, checkIns, results }) => {
  localStorage.setItem("steady.selfcheck.results", JSON.stringify(results));
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("steady", 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("checkins"))
        db.createObjectStore("checkins", { keyPath: "id", autoIncrement: true });
      for (const name of ["reminder", "plan", "taper", "shown"])
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction(["plan", "taper", "checkins"], "readwrite");
    tx.objectStore("plan").put(plan, "current");
    tx.objectStore("taper").put(steps, "steps");
    for (const day of days) tx.objectStore("taper").put(day, `day:${day.date}`);
    for (const entry of checkIns) tx.objectStore("checkins").add(entry);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}"""

RAW = """async () => {
  const db = await new Promise((resolve) => {
    const request = indexedDB.open("steady");
    request.onsuccess = () => resolve(request.result);
  });
  const read = (name) => new Promise((resolve) => {
    const out = {};
    const cursor = db.transaction(name).objectStore(name).openCursor();
    cursor.onsuccess = () => {
      if (!cursor.result) return resolve(out);
      out[String(cursor.result.primaryKey)] = cursor.result.value;
      cursor.result.continue();
    };
  });
  const raw = { plan: await read("plan"), taper: await read("taper"),
                checkins: await read("checkins") };
  db.close();
  raw.local = { ...localStorage };
  return raw;
}"""


def seed(page) -> None:
    """Keep the person's data on this page's device, as the tools would."""
    page.evaluate(
        SEED,
        {"plan": PLAN, "steps": STEPS, "days": DAYS, "checkIns": CHECK_INS, "results": RESULTS},
    )


def raw(page) -> dict:
    """Every kept value as it lies on the device (IndexedDB stores and localStorage)."""
    return page.evaluate(RAW)
