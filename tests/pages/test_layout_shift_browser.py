"""Nothing moves once a page is drawn: every public page, on a phone, has a cumulative layout
shift of 0, also when its scripts have things to show (issue 15: /check-in scored 79 in
Lighthouse from content its script added after the first paint).

Each page of the one public list (backend/pages/registry.py) is opened at 360×740 twice: on
a fresh device, and on one that holds what scripts show (check-ins, saved self-check results,
a reminder, a chosen country). A PerformanceObserver (buffered) sums every layout shift not
caused by the person; the test waits until every component has started and the network is
quiet, then a little longer for the device's database. One browser and one server for all.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from backend.pages.registry import public_pages
from testkit.push_receiver import Subscriber

WATCH_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    const moved = (entry.sources || []).map(({ node }) => {
      if (!node || !node.nodeName) return "?";
      const id = node.id ? `#${node.id}` : "";
      const cls = typeof node.className === "string" && node.className
        ? `.${node.className.split(" ")[0]}` : "";
      return `${node.nodeName.toLowerCase()}${id}${cls}`;
    });
    window.__shifts.push({ value: entry.value, moved });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

SETTLED = """
async () => {
  const modules = [...document.querySelectorAll("[data-module]")];
  const deadline = Date.now() + 5000;
  while (modules.some((m) => !m.hasAttribute("data-module-started")) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 600));  // the device's database
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return window.__shifts;
}
"""


def check_ins(days: int) -> list[dict]:
    """A journal of one check-in a day, as js/check-in.js saves them."""
    start = datetime.now(UTC) - timedelta(days=days)
    return [
        {
            "date": (start + timedelta(days=day)).isoformat().replace("+00:00", "Z"),
            "feeling": 1 + day % 5,
            "sleep": 1 + (day + 2) % 5,
            "anxiety": 1 + (day + 1) % 5,
            "cravings": 1 + (day + 3) % 5,
            "as_prescribed": "yes",
            "withdrawal": "mild" if day % 3 else "none",
            "reducing": "no",
        }
        for day in range(days)
    ]


SELF_CHECK_RESULTS = [
    {"date": "2026-11-01T09:00:00.000Z", "band": "some", "score": 5, "max_score": 20, "signs": []},
    {"date": "2026-11-20T09:00:00.000Z", "band": "few", "score": 2, "max_score": 20, "signs": []},
]

SAVE_ON_DEVICE = """
async ({ entries, results, reminder }) => {
  const db = await import("/static/js/steady-db.js");
  for (const entry of entries) await db.add(db.CHECKINS, entry);
  await db.put(db.REMINDER, reminder, "current");
  localStorage.setItem("steady.reminder", JSON.stringify(reminder));
  localStorage.setItem("steady.selfcheck.results", JSON.stringify(results));
  localStorage.setItem("steady.country", "US");
}
"""


def a_reminder(app) -> dict:
    """A real subscription on the server (so /reminders can read it back), as a device holds it."""
    path = f"/push/{secrets.token_urlsafe(8)}"
    subscriber = Subscriber(
        path=path,
        endpoint=f"http://127.0.0.1:9{path}",
        private_key=ec.generate_private_key(ec.SECP256R1()),
        auth_secret=secrets.token_bytes(16),
    )
    body = {
        "subscription": subscriber.subscription,
        "schedule": {"days": [0, 1, 2, 3, 4, 5, 6], "times": ["08:00"], "timezone": "UTC"},
        "message": "checkin",
        "lang": "en",
    }
    response = app.test_client().post("/api/v1/reminders", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture(scope="module")
def device(browser, crisis_server):
    """`with device(saved) as page:` a phone-sized profile, fresh or holding saved things."""

    @contextmanager
    def open_device(saved: bool):
        context = browser.new_context(
            base_url=crisis_server.url, viewport={"width": 360, "height": 740}
        )
        context.route(lambda url: not url.startswith(crisis_server.url), lambda r: r.abort())
        try:
            page = context.new_page()
            if saved:
                page.goto("/offline")
                page.evaluate(
                    SAVE_ON_DEVICE,
                    {
                        "entries": check_ins(20),
                        "results": SELF_CHECK_RESULTS,
                        "reminder": a_reminder(crisis_server.app),
                    },
                )
            page.add_init_script(WATCH_SHIFTS)
            yield page
        finally:
            context.close()

    return open_device


def layout_shift(page, path: str) -> tuple[float, list]:
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    shifts = page.evaluate(SETTLED)
    return sum(shift["value"] for shift in shifts), shifts


@pytest.mark.parametrize("saved", [False, True], ids=["fresh device", "saved things"])
def test_no_public_page_moves_after_it_is_drawn_on_a_phone(device, crisis_server, saved):
    moved = {}
    with device(saved) as page:
        for path in public_pages(crisis_server.app):
            for url in (path, f"{path}?lang=es"):
                total, shifts = layout_shift(page, url)
                if total > 0:
                    moved[url] = (round(total, 4), shifts)
    assert moved == {}
