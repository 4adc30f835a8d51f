// The console's idle warning. The server ends a console session after a stretch without
// requests (30 minutes); two minutes before, this shows a polite notice with a "Stay
// signed in" button that pings the server. Before warning it asks the server how long is
// really left, so work in another tab counts. Without JavaScript nothing is shown: the
// session simply ends and the next page asks the operator to sign in again.

export function init(root) {
  if (!("fetch" in window) || !root.dataset.statusUrl) return;
  const alertBox = root.querySelector("[data-session-alert]");
  const message = root.querySelector("[data-session-message]");
  const stay = root.querySelector("[data-session-stay]");
  if (!alertBox || !message || !stay) return;

  const warningMs = Number(root.dataset.warningSeconds || 120) * 1000;
  let endsAt = Date.now() + Number(root.dataset.idleSeconds || 1800) * 1000;
  let timer = null;

  function schedule(atMs, task) {
    clearTimeout(timer);
    timer = setTimeout(task, Math.max(0, atMs - Date.now()));
  }

  function minutesLeft() {
    return Math.max(1, Math.round((endsAt - Date.now()) / 60000));
  }

  function warn() {
    const minutes = minutesLeft();
    message.textContent =
      `You will be signed out in ${minutes} minute${minutes === 1 ? "" : "s"} ` +
      "because nothing has happened for a while.";
    stay.hidden = false;
    alertBox.hidden = false;
    schedule(endsAt, signedOut);
  }

  function signedOut() {
    message.textContent =
      "You have been signed out because nothing happened for a while. " +
      "Copy anything you typed, then reload the page to sign in again.";
    stay.hidden = true;
    alertBox.hidden = false;
  }

  function follow(state) {
    if (!state || !state.signed_in) return signedOut();
    endsAt = Date.now() + state.remaining * 1000;
    if (endsAt - Date.now() > warningMs) {
      alertBox.hidden = true;
      schedule(endsAt - warningMs, check);
    } else {
      warn();
    }
  }

  async function ask(method) {
    const headers = { Accept: "application/json" };
    if (method === "POST") headers["X-CSRFToken"] = root.dataset.csrfToken;
    const url = method === "POST" ? root.dataset.keepAliveUrl : root.dataset.statusUrl;
    const response = await fetch(url, { method, headers, credentials: "same-origin" });
    const type = response.headers.get("Content-Type") || "";
    return type.includes("application/json") ? response.json() : null;
  }

  async function check() {
    try {
      follow(await ask("GET"));
    } catch {
      warn(); // offline or the server is away: warn on the page's own clock
    }
  }

  stay.addEventListener("click", async () => {
    try {
      const state = await ask("POST");
      follow(state);
      if (state && state.signed_in && alertBox.hidden) {
        // Say so, and keep focus on the notice rather than losing it with the button.
        message.textContent = "You are still signed in.";
        stay.hidden = true;
        alertBox.hidden = false;
        alertBox.focus();
        setTimeout(() => { alertBox.hidden = true; }, 4000);
      }
    } catch {
      message.textContent = "Could not reach Steady. Check your connection and try again.";
    }
  });

  schedule(endsAt - warningMs, check);
}
