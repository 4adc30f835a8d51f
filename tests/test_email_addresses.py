"""L10 (issue 9): an e-mail address that a mailto: link would read as extra headers is
refused, for operators and for the e-mail contacts of helplines."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from backend.accounts import service
from backend.email_addresses import is_plain_email
from backend.helplines.schemas import HelplineSchema
from tests.admin.console import make_operator, post, sign_in
from tests.helplines.helpers import line_data

GOOD = "correct horse battery staple"
INJECTED = [
    '"?cc=attacker@evil.example&body=hi"@example.org',  # the review's example
    "help?cc=attacker@evil.example",
    "help&body=hi@example.org",
    "help%3Fcc=x@example.org",
    "help@example.org?cc=attacker@evil.example",
    "help@example.org\nBcc: attacker@evil.example",
    "help@[127.0.0.1]",
]


@pytest.mark.parametrize("address", INJECTED)
def test_l10_addresses_a_mailto_link_would_misread_are_not_plain(address):
    assert not is_plain_email(address)


def test_l10_ordinary_addresses_still_pass():
    for address in ("help@988lifeline.org", "o'neil+line@mail.example.org", "A.B-c_d@x.co"):
        assert is_plain_email(address), address


def test_l10_a_helpline_contact_cannot_carry_one(app):
    for address in INJECTED:
        data = line_data(contacts=[{"kind": "email", "value": address}])
        with pytest.raises(ValidationError) as refused:
            HelplineSchema().load(data)
        assert refused.value.messages["contacts"][0]["value"] == ["Give a valid e-mail address."]


def test_l10_an_operator_cannot_have_one(app):
    admin = make_operator(app, "ada@steady.test", "Ada", "admin")
    client = app.test_client()
    assert sign_in(client, admin).status_code == 303
    for address in INJECTED[:3]:
        response = post(
            client,
            "/admin/operators/new",
            {
                "email": address,
                "display_name": "Mallory",
                "role": "editor",
                "password": GOOD,
                "password_again": GOOD,
            },
        )
        assert response.status_code == 422, address
        assert "Enter an e-mail address like name@example.org." in response.text
        with app.app_context(), pytest.raises(service.OperatorError):
            service.create_operator(address, "Mallory", "editor", GOOD)
