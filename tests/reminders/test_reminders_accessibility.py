"""axe-core finds nothing on /reminders and /check-in, in light and dark, at 360×740, in
the states a person sees: the set-up form, the current schedule, the check-in form, and a
result with crisis help and the history chart shown."""

from __future__ import annotations

import pytest

from tests.axe import no_axe_violations
from tests.reminders.reminder_steps import (
    fake_push_service,
    open_page,
    server_key,
    wait_for_worker,
)

pytestmark = pytest.mark.browser


def assert_no_violations(page, where: str) -> None:
    """Every rule in light; in dark, the same states by the rules that read colours."""
    dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    no_axe_violations(page, where, colours_only=dark)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reminders_page_has_no_accessibility_violations(phone, live_server, receiver, scheme):
    phone.emulate_media(color_scheme=scheme)
    fake_push_service(phone, receiver.make_subscriber(server_key=server_key(live_server.app)))
    open_page(phone, "/reminders", "app-reminders")
    assert_no_violations(phone, f"/reminders form ({scheme})")

    wait_for_worker(phone)
    phone.click("[data-reminder-form] [data-submit]")
    phone.wait_for_selector("[data-current]", state="visible")
    assert_no_violations(phone, f"/reminders schedule ({scheme})")

    phone.click("[data-action=edit]")
    phone.fill("#timezone", "Nowhere/Atlantis")
    phone.click("[data-reminder-form] [data-submit]")
    phone.wait_for_selector("[data-error-summary]", state="visible")
    assert_no_violations(phone, f"/reminders errors ({scheme})")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_check_in_page_has_no_accessibility_violations(phone, scheme):
    phone.emulate_media(color_scheme=scheme)
    open_page(phone, "/check-in", "app-check-in")
    assert_no_violations(phone, f"/check-in form ({scheme})")

    for name, value in (("feeling", "2"), ("withdrawal", "strong"), ("reducing", "yes")):
        phone.check(f'input[name="{name}"][value="{value}"]')
    phone.check('input[name="self_harm"]')
    phone.click("[data-check-in-form] button[type=submit]")
    phone.wait_for_selector("[data-chart] svg")
    assert_no_violations(phone, f"/check-in result and history ({scheme})")

    phone.click("[data-action=delete-check-ins]")
    assert_no_violations(phone, f"/check-in delete confirmation ({scheme})")
