"""The console's forms (Flask-WTF: every POST form carries a CSRF token).

The helpline form, which is larger, lives in helpline_form.py.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from backend.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from backend.email_addresses import is_plain_email

ROLE_CHOICES = [
    ("editor", "Editor: keeps helplines current"),
    ("admin", "Admin: also manages operators"),
]


def plain_email(_form, field) -> None:
    """A plain e-mail address (email_addresses.py: nothing a mailto: link would misread)."""
    if field.data and not is_plain_email(field.data.strip()):
        raise ValidationError("Enter an e-mail address like name@example.org.")


class LoginForm(FlaskForm):
    """Step one: e-mail address and password."""

    email = StringField(
        "E-mail address",
        validators=[DataRequired("Enter your e-mail address."), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false", "type": "email"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class CodeForm(FlaskForm):
    """Step two: the six-digit code from the authenticator app."""

    code = StringField(
        "Code from your authenticator app",
        validators=[
            DataRequired("Enter the 6-digit code."),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message="Enter the 6 digits the app shows."),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class ConfirmIdentityForm(FlaskForm):
    """Prove it is you, in a signed-in session: password and a code (M2)."""

    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password."), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    code = CodeForm.code
    next = HiddenField()


class NewPasswordMixin:
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a password."),
            Length(
                min=MIN_LENGTH, max=MAX_LENGTH, message=f"Use at least {MIN_LENGTH} characters."
            ),
        ],
        description=f"At least {MIN_LENGTH} characters. A few unrelated words work well.",
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        "New password again",
        validators=[
            DataRequired("Enter the password again."),
            EqualTo("password", "The two passwords differ."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class OperatorForm(NewPasswordMixin, FlaskForm):
    """An admin adds an operator, choosing a first password to pass on in person."""

    email = StringField(
        "E-mail address",
        validators=[
            DataRequired("Enter their e-mail address."),
            Length(max=254),
            plain_email,
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false", "type": "email"},
    )
    display_name = StringField(
        "Name",
        validators=[DataRequired("Enter their name."), Length(max=80)],
        description="Shown in the audit log and on verified helplines.",
    )
    role = SelectField("Role", choices=dict(ROLE_CHOICES), default="editor")


class RoleForm(FlaskForm):
    """Change one operator's role."""

    role = SelectField("Role", choices=dict(ROLE_CHOICES))


class PasswordChangeForm(NewPasswordMixin, FlaskForm):
    """An operator changes their own password."""

    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )


class TokenForm(FlaskForm):
    """Name a new API token after the script that will use it."""

    label = StringField(
        "What is it for?",
        validators=[DataRequired("Give the token a name."), Length(max=80)],
        description="For example: nightly sync from our CRM.",
    )


class AuditFilterForm(FlaskForm):
    """Filters of the audit log (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    actor = SelectField("Who", choices={}, validate_choice=False, validators=[Optional()])
    action = SelectField("Action", choices={}, validate_choice=False, validators=[Optional()])
    entity_type = SelectField("Kind", choices={}, validate_choice=False, validators=[Optional()])
    entity_id = StringField("Record id", validators=[Optional(), Length(max=64)])
    since = DateField("From (date)", validators=[Optional()])
    until = DateField("To (date)", validators=[Optional()])
