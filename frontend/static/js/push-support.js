// Can this browser receive reminders, and if not, why? And the one step that asks the
// person's permission (called only from a button press, never on page load).
const READY_TIMEOUT_MS = 10000;

export class PushProblem extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason; // "ios" | "unsupported" | "denied" | "dismissed"
  }
}

function isAppleMobile() {
  const { userAgent, platform, maxTouchPoints } = navigator;
  // iPadOS presents itself as a Mac; a Mac has no touch screen.
  return /iPhone|iPad|iPod/.test(userAgent) || (platform === "MacIntel" && maxTouchPoints > 1);
}

// Why reminders cannot be set up here, or null when they can be.
export function pushProblem() {
  const supported =
    "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  // Safari on iPhone and iPad offers push only to a site opened from the Home Screen
  // (iOS 16.4+): in the browser itself these are simply missing.
  if (!supported) return isAppleMobile() ? "ios" : "unsupported";
  if (Notification.permission === "denied") return "denied";
  return null;
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const text = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

function sameKey(buffer, bytes) {
  if (!buffer) return false;
  const current = new Uint8Array(buffer);
  return current.length === bytes.length && current.every((byte, i) => byte === bytes[i]);
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new PushProblem("unsupported")), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

async function activeRegistration() {
  const registration =
    (await navigator.serviceWorker.getRegistration("/")) ||
    (await navigator.serviceWorker.register("/sw.js", { scope: "/" }));
  if (registration.active) return registration;
  // Never resolves where service workers cannot run (some private windows): time out.
  return withTimeout(navigator.serviceWorker.ready, READY_TIMEOUT_MS);
}

// Asks for permission (first, while the button press still counts as the person's own
// action), then for a push subscription for the key `serverKey()` gives (the server's VAPID
// application server key, base64url). Returns the subscription as JSON
// ({endpoint, keys: {p256dh, auth}}) or throws a PushProblem (or what serverKey throws).
export async function subscribe(serverKey) {
  const permission = await Notification.requestPermission();
  if (permission === "denied") throw new PushProblem("denied");
  if (permission !== "granted") throw new PushProblem("dismissed");
  const publicKey = await serverKey();
  let registration;
  try {
    registration = await activeRegistration();
  } catch {
    throw new PushProblem("unsupported");
  }
  const applicationServerKey = keyBytes(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options?.applicationServerKey, applicationServerKey)) {
    await subscription.unsubscribe(); // made for another server key: it could not be used
    subscription = null;
  }
  try {
    subscription ||= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey,
    });
  } catch (error) {
    throw new PushProblem(error?.name === "NotAllowedError" ? "denied" : "unsupported");
  }
  const { endpoint, keys } = subscription.toJSON();
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}
