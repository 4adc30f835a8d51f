"""Helpers for console tests: operators, CSRF tokens, signing in through the real forms."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser

import pyotp
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from backend.accounts import service, totp_seal
from backend.accounts.models import Operator
from backend.extensions import db

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass
class Person:
    """An operator made for a test, with what they sign in with."""

    id: int
    email: str
    password: str
    role: str
    secret: str | None = None
    steps_used: int = 0
    app: object = None

    def code(self) -> str:
        """The code their app shows now. A code is accepted once, and only from the current
        30-second step or the one before: for a second code the step they used last is
        forgotten, as if it was a while ago, so that tests need not wait."""
        if self.steps_used and self.app is not None:
            with self.app.app_context():
                db.session.execute(
                    update(Operator).where(Operator.id == self.id).values(totp_last_step=None)
                )
                db.session.commit()
        self.steps_used += 1
        return pyotp.TOTP(self.secret).at(time.time())


def make_operator(
    app,
    email: str = "eddie@steady.test",
    name: str = "Eddie",
    role: str = "editor",
    password: str = PASSWORD,
    totp: bool | None = None,
) -> Person:
    """Create an operator who chose their own password and set up an authenticator app
    (unless totp=False: then they set it up at their first sign-in)."""
    with app.app_context():
        operator = service.create_operator(email, name, role, password)
        operator.password_change_required = False
        secret = None
        if totp is not False:
            secret = pyotp.random_base32()
            operator.totp_secret = totp_seal.seal(secret, totp_seal.for_operator(operator.id))
        db.session.commit()
        return Person(operator.id, operator.email, password, role, secret, app=app)


def csrf_from(html: str) -> str:
    """The CSRF token on a rendered page."""
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def csrf_token(client, path: str = "/admin/login") -> str:
    """A CSRF token for this client's session, read from a console page."""
    return csrf_from(client.get(path).get_data(as_text=True))


def post(client, path: str, data: dict | None = None, token_from: str | None = None, **kw):
    """POST a console form with a CSRF token taken from `token_from` (default: the path)."""
    token = csrf_token(client, token_from or path)
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


def sign_in(client, person: Person, password: str | None = None):
    """Sign in through the forms (password, then the code when the person has TOTP)."""
    response = post(
        client, "/admin/login", {"email": person.email, "password": password or person.password}
    )
    if response.status_code == 303 and response.location.endswith("/admin/login/code"):
        response = post(client, "/admin/login/code", {"code": person.code()})
    return response


class _FormReader(HTMLParser):
    """The fields one form would send, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.fields = action, False, []
        self._select: str | None = None
        self._selected: list[str] = []
        self._first: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif a.get("type") not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._selected, self._first = a.get("name"), [], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._first = value if self._first is None else self._first
            if "selected" in a:
                self._selected.append(value)
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = self._selected or ([self._first] if self._first is not None else [])
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data


def form_fields(html: str, action: str) -> MultiDict:
    """What submitting the form with this action would send, unchanged."""
    reader = _FormReader(action)
    reader.feed(html)
    return MultiDict(reader.fields)
