"""Numbers validated for real (issue 13, item 7): phonenumbers' validity for the line's
country, or a short code a source states (short_codes.json); the truncated Irish freephone
number is refused with a message naming the expected length, by the API, an import and the
console alike."""

from __future__ import annotations

import pytest

from backend.accounts import service as accounts
from backend.helplines import service
from backend.helplines.numbers import NumberProblem, normalize_number
from tests.admin.console import form_fields, make_operator, sign_in
from tests.helplines.helpers import EDITOR, line_data

TRUNCATED = "+353180045945"  # "1800 459 45": the HSE line with a digit missing
EXPECTED = "in Ireland those have 10 digits after +353, and this one has 9"


@pytest.mark.parametrize("typed", [TRUNCATED, "1800 459 45", "1800-45945"])
def test_a_freephone_number_cut_short_is_refused_naming_the_length(typed):
    with pytest.raises(NumberProblem) as refused:
        normalize_number(typed, "IE", "call")
    assert str(refused.value) == f"{typed} looks like a freephone number cut short: {EXPECTED}."


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("IE", "1800 459 459", "+3531800459459"),  # the whole number
        ("IE", "01 809 2166", "+35318092166"),  # a Dublin number is not mistaken for one
        ("PE", "113", "113"),  # Minsa's line, from short_codes.json
        ("CL", "*4141", "*4141"),
        ("NL", "113", "113"),
        ("EE", "116 123", "116123"),
    ],
)
def test_real_numbers_and_known_short_codes_are_kept(country, typed, stored):
    assert normalize_number(typed, country, "call") == stored


@pytest.mark.parametrize(
    ("country", "typed", "kind", "message"),
    [
        ("AR", "*4141", "call", "Use only digits"),  # Chile's code, not Argentina's
        ("PE", "113", "text", "not a known short number in PE"),  # a call line, not a text one
        ("US", "+1 800 662 435", None, "have 10 digits after .1, and this one has 9"),
    ],
)
def test_short_codes_count_only_for_their_country_and_kind(country, typed, kind, message):
    with pytest.raises(NumberProblem, match=message):
        normalize_number(typed, country, kind)


def irish_line(value: str) -> dict:
    return line_data(country="IE", contacts=[{"kind": "call", "value": value}])


def test_the_api_refuses_it(app):
    with app.app_context():
        operator = accounts.create_operator("ed@example.org", "Ed", "editor", "a long passphrase")
        _token, plaintext = accounts.issue_api_token(operator, "script")
    response = app.test_client().post(
        "/api/v1/helplines",
        json=irish_line(TRUNCATED),
        headers={"Authorization": f"Bearer {plaintext}"},
    )
    assert response.status_code == 422
    assert EXPECTED in response.get_json()["errors"]["contacts"]["0"]["value"][0]


def test_an_import_refuses_it(app):
    header = "country,name_en,contact1_kind,contact1_value\n"
    with app.app_context():
        preview = service.preview_import(f"{header}IE,HSE,call,{TRUNCATED}\n".encode(), "csv")
        assert not preview.ok
        assert EXPECTED in preview.rows[0].errors["contact1_value"][0]
        with pytest.raises(service.ImportRejected):
            service.apply_import(f"{header}IE,HSE,call,{TRUNCATED}\n".encode(), "csv", EDITOR)


def test_the_console_refuses_it_on_the_field(app):
    client = app.test_client()
    assert sign_in(client, make_operator(app)).status_code == 303
    fields = form_fields(client.get("/admin/helplines/new").text, "/admin/helplines/new")
    for name, value in (
        ("name_en", "HSE Drugs and Alcohol Helpline"),
        ("country", "IE"),
        ("contacts-0-kind", "call"),
        ("contacts-0-value", "1800 459 45"),
    ):
        fields[name] = value  # replaces the form's empty value
    response = client.post("/admin/helplines/new", data=fields)
    assert response.status_code == 422
    message = f"1800 459 45 looks like a freephone number cut short: {EXPECTED}."
    assert f'id="contacts-0-value-error">{message}' in response.text
