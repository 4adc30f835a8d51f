// Turning the passcode lock on or off (the /passcode page): everything already kept is
// sealed, or opened, in place. Values are read whether sealed or not (js/vault.js), so a
// change cut short (a closed tab) leaves everything readable and can simply be done again.
import * as vault from "./vault.js";
import * as db from "./steady-db.js";
import * as store from "./device-store.js";

async function rewriteEverything(change) {
  if (db.available()) {
    for (const name of db.SEALED) {
      await db.rewrite(name, async (value) => {
        const opened = await vault.open(value, name);
        const { id, ...fields } = opened ?? {}; // the journal's key stays outside the seal
        return change(name === db.CHECKINS ? fields : opened, name);
      });
    }
  }
  await store.rewrite(async (value, key) => change(await vault.open(value, key), key));
}

// On: a new key, then everything kept is sealed with it.
export async function turnOn(passcode) {
  await vault.turnOn(passcode);
  await rewriteEverything((value, label) => vault.seal(value, label));
}

// Off (only with the right passcode): everything opened again, then the lock forgotten.
export async function turnOff(passcode) {
  if (!(await vault.unlock(passcode))) return false;
  await rewriteEverything(async (value) => value);
  vault.forget();
  return true;
}
