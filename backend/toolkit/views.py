"""The safety plan (/plan) and the taper diary (/taper): server-rendered pages whose content
is written and kept on the device only (js/plan.js, js/taper.js through js/toolkit-store.js).
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from backend.memory import remembered
from backend.toolkit import blp


@blp.get("/plan")
@remembered
def plan():
    """The personal safety plan: printable; kept on the device."""
    return render_template("toolkit/plan.html", title=_("My safety plan"))


@blp.get("/taper")
@remembered
def taper():
    """The taper diary: the prescriber's steps and daily symptoms, kept on the device."""
    return render_template("toolkit/taper.html", title=_("My taper diary"))
