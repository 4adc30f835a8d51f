"""Private sharing: /share makes a link to the safety plan (the summary has its own, on
/summary); /shared shows a read-only copy of a safety plan or prescriber summary that was
encrypted on the sender's phone (js/share.js). The copy and its key travel in the link's
fragment (after "#"), which browsers never send, so this page is the same for everyone and
the server only ever sees its path. js/shared-view.js opens the copy in the browser.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from backend.memory import remembered
from backend.toolkit import blp


def plan_share_texts() -> dict:
    """The words js/share.js needs to turn the safety plan into a document to share."""
    return {
        "title": _("My safety plan"),
        "made": _("Made on %(date)s"),
        "footer": _("A read-only copy of a safety plan kept in Steady."),
        "headings": {
            "warning_signs": _("My warning signs"),
            "coping": _("Things I can do on my own"),
            "distractions": _("People and places that take my mind off it"),
            "helpers": _("People I can ask for help"),
            "professionals": _("Professionals and crisis lines"),
            "safer_home": _("Making my home safer"),
            "reasons": _("My reasons to keep going"),
        },
    }


@blp.app_context_processor
def _sharing_context() -> dict:
    return {"plan_share_texts": plan_share_texts}


@blp.get("/share")
@remembered
def share():
    """Share the safety plan kept on this device as a private link and QR code."""
    return render_template("toolkit/share.html", title=_("Share your safety plan privately"))


@blp.get("/shared")
@remembered
def shared():
    """A shared copy, opened on this device from the link's fragment."""
    return render_template("toolkit/shared.html", title=_("A private copy shared with you"))
