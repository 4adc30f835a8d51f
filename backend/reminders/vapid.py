"""VAPID keys (RFC 8292): read once, never invented, and the public half for browsers.

The private key comes from VAPID_PRIVATE_KEY (raw or DER base64url, or PEM text) or else the
PEM file VAPID_PRIVATE_KEY_FILE, which `flask push keys` writes (and `make run` creates under
instance/ in development). Production refuses to start without one (backend/config.py).
"""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from py_vapid import Vapid


class PushNotConfigured(RuntimeError):
    """There is no usable VAPID private key."""


def load_vapid(config) -> Vapid:
    """The VAPID signing key from VAPID_PRIVATE_KEY (raw/DER base64url or PEM text) or the
    PEM file VAPID_PRIVATE_KEY_FILE. Never generates one (py_vapid's from_file would)."""
    text = config.get("VAPID_PRIVATE_KEY")
    try:
        if text:
            text = text.strip()
            vapid = (
                Vapid.from_pem(text.encode()) if "-----BEGIN" in text else Vapid.from_string(text)
            )
        else:
            path = Path(config.get("VAPID_PRIVATE_KEY_FILE") or "")
            if not path.is_file():
                raise PushNotConfigured(
                    "no VAPID key: set VAPID_PRIVATE_KEY or run `flask push keys`"
                )
            vapid = Vapid.from_pem(path.read_bytes())
    except PushNotConfigured:
        raise
    except Exception as error:  # a malformed key, whatever the parser says about it
        raise PushNotConfigured(f"the VAPID key cannot be read ({type(error).__name__})") from None
    if not isinstance(vapid.private_key.curve, ec.SECP256R1):
        raise PushNotConfigured("the VAPID key is not a P-256 key")
    return vapid


def vapid_for(app: Flask) -> Vapid:
    """The app's VAPID key, loaded on first use and kept for the app's life."""
    vapid = app.extensions.get("reminders.vapid")
    if vapid is None:
        vapid = app.extensions["reminders.vapid"] = load_vapid(app.config)
    return vapid


def application_server_key(vapid: Vapid) -> str:
    """The public key browsers pass to `pushManager.subscribe`: base64url, uncompressed."""
    point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode("ascii")


def new_vapid_pem() -> tuple[bytes, str]:
    """A new VAPID key pair: (PKCS#8 PEM private key, application server key)."""
    vapid = Vapid()
    vapid.generate_keys()
    return vapid.private_pem(), application_server_key(vapid)
