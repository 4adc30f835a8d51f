"""E-mail addresses Steady accepts: plain ones, safe to put in a `mailto:` link as they are.

RFC 5321 allows quoted local parts and characters such as `?`, `&`, `=` and `%`, which a
`mailto:` URL reads as the start of its own headers: `"?cc=attacker@evil.example&body=hi"
@example.org` was accepted and became a link that adds a CC (L10, issue 9). Real addresses
of people and services do not need them, so only plain addresses pass: a local part of
letters, digits and `_ + ' -` in dot-separated runs, and a domain of letter-digit-dash
labels with an alphabetic top level. Used for operators' sign-in addresses and for the
e-mail contacts of helplines.
"""

from __future__ import annotations

import re

PLAIN_EMAIL = re.compile(
    r"(?=[^@]{1,64}@)[A-Za-z0-9_+'-]+(?:\.[A-Za-z0-9_+'-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
MAX_LENGTH = 254


def is_plain_email(text: str) -> bool:
    """Is `text` a plain e-mail address (see the module docstring)?"""
    return len(text) <= MAX_LENGTH and PLAIN_EMAIL.fullmatch(text) is not None
