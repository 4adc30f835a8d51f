"""The passcode lock's page (/passcode): what the lock does, and the forms that turn it on,
change it or turn it off. The work happens on the device (js/vault.js, js/lock-settings.js):
the passcode and what it locks never reach the server.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from backend.memory import remembered
from backend.toolkit import blp

# Kept equal to js/vault.js (MIN_LENGTH, IDLE_MS): a test reads both.
MIN_LENGTH = 6
IDLE_MINUTES = 5


@blp.get("/passcode")
@remembered
def passcode():
    """Turn the passcode lock on or off, change it, or lock now."""
    return render_template(
        "toolkit/passcode.html",
        title=_("Passcode lock"),
        min_length=MIN_LENGTH,
        idle_minutes=IDLE_MINUTES,
    )
