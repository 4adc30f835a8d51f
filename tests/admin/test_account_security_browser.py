"""The new sign-in flows of issue 9 in a real browser, each page checked by axe-core: a new
operator sets up an app and chooses their own password (M3, L7); making a token later asks
for the password and a code (M2) and shows when it expires (M3); signing out everywhere."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import update

from backend.accounts import service
from backend.accounts.models import Operator, OperatorSession, utcnow
from backend.extensions import db
from tests.admin.console import make_operator
from tests.axe import no_axe_violations

pytestmark = pytest.mark.browser


def test_a_new_operator_sets_up_an_app_chooses_a_password_and_makes_a_token(
    console_server, console_context
):
    nia = make_operator(console_server.app, "nia@steady.test", "Nia", "editor", totp=False)
    with console_server.app.app_context():
        service.get_operator(nia.id).password_change_required = True  # as an admin made her
        db.session.commit()
    page = console_context().new_page()
    page.goto("/admin/login")
    page.get_by_label("E-mail address").fill(nia.email)
    page.get_by_label("Password").fill(nia.password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/admin/login/enrol")
    no_axe_violations(page)
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    page.wait_for_url("**/admin/account/password")
    assert page.get_by_role("heading", level=1).inner_text() == "Choose your own password"
    no_axe_violations(page)
    page.get_by_label("Current password").fill(nia.password)
    page.get_by_label("New password", exact=True).fill("only nia knows this one")
    page.get_by_label("New password again").fill("only nia knows this one")
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url("**/admin/")

    with console_server.app.app_context():
        db.session.execute(  # as if she signed in a while ago
            update(OperatorSession)
            .where(OperatorSession.operator_id == nia.id)
            .values(confirmed_at=utcnow().replace(year=2000))
        )
        db.session.execute(  # and her code was used a while ago too
            update(Operator).where(Operator.id == nia.id).values(totp_last_step=0)
        )
        db.session.commit()
    page.goto("/admin/account")
    page.get_by_label("What is it for?").fill("nightly sync")
    page.get_by_role("button", name="Make a token").click()
    page.wait_for_url("**/admin/account/confirm**")
    no_axe_violations(page)
    page.get_by_label("Password").fill("only nia knows this one")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(key).now())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/admin/account")
    page.get_by_label("What is it for?").fill("nightly sync")
    page.get_by_role("button", name="Make a token").click()
    notice = page.get_by_role("status").filter(has_text="Your new token: copy it now")
    assert "It works until" in notice.inner_text()
    table = page.get_by_role("table", name="My API tokens")
    assert table.get_by_role("columnheader", name="Expires").count() == 1
    no_axe_violations(page)

    page.get_by_role("button", name="Sign out everywhere").click()
    page.wait_for_url("**/admin/login")
    assert "You are signed out everywhere" in page.content()
    page.goto("/admin/account")
    page.wait_for_url("**/admin/login**")
