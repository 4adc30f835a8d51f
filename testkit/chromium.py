"""Debian's Chromium as the tests and benchmarks launch it through Playwright (never a
downloaded browser): its path (STEADY_CHROMIUM to use another) and the flags that keep it
headless, quiet and off the network beyond 127.0.0.1 (../shared/TESTING.md)."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("STEADY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Run in the service worker (a CDP worker target): counts every showNotification() call in
# self.__shown, by tag. Headless Chromium now and then leaves a shown notification out of
# getNotifications(), so the calls are what is counted; a restarted worker loses the log,
# which fails a check, never passes it.
COUNT_SHOWN = """() => {
  self.__shown = [];
  const show = self.registration.showNotification.bind(self.registration);
  self.registration.showNotification = (title, options) =>
    show(title, options).then(() => { self.__shown.push(options.tag); });
}"""
