"""The person's own toolkit: safety plan, taper diary, prescriber summary, sharing, passcode.

One blueprint, `toolkit`, shared by the area's view modules (views.py holds /plan and /taper;
other modules add their routes to the same blueprint). The server only renders the pages:
what a person writes lives on the device and is never sent.
"""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("toolkit", __name__)


def register(app) -> None:
    """Import every module of the area (their routes attach to `blp` on import), then register
    the blueprint. Discovered, not listed, so each module of the area joins without an edit here.
    """
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    app.register_blueprint(blp)
