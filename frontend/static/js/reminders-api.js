// The reminders API, as the page and the device's clean-ups call it. Answers come back as
// data or as a ReminderApiError with the HTTP status (0 when the network could not be
// reached). The manage token travels only in the Authorization header.
const REMINDERS = "/api/v1/reminders";

export class ReminderApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function call(method, path, { token, body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ReminderApiError(0, null); // offline, or the server could not be reached
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new ReminderApiError(response.status, data);
  return data;
}

const one = (reminder) => `${REMINDERS}/${encodeURIComponent(reminder.id)}`;

export async function pushKey() {
  return (await call("GET", "/api/v1/push/key")).public_key;
}

export const create = (body) => call("POST", REMINDERS, { body });
export const read = (reminder) => call("GET", one(reminder), { token: reminder.token });
export const change = (reminder, body) =>
  call("PATCH", one(reminder), { token: reminder.token, body });

// Deleting what is already gone (404) counts as done.
export async function remove(reminder) {
  try {
    await call("DELETE", one(reminder), { token: reminder.token });
  } catch (error) {
    if (error.status !== 404) throw error;
  }
}
