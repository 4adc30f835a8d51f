"""Configuration: the only module that reads the environment.

`settings(name)` returns the settings for one environment, read when it is called (never
at import). Development keeps its secrets in files under instance/ that `make run` creates;
production refuses to start without its secrets; testing makes real pushes impossible.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


PUSH_SERVICES = (
    "fcm.googleapis.com,android.googleapis.com,updates.push.services.mozilla.com,"
    "push.apple.com,notify.windows.com"
)


# A signing key shorter than this is guessable offline from one signed cookie (L8).
MIN_SECRET_BYTES = 32
# The one TOTP seed key of the testing config (a constant, so every test app reads the seeds
# another wrote); never used outside tests.
TESTING_TOTP_KEY = "c3RlYWR5LXRlc3RpbmctdG90cC1rZXktMzItYnl0ZXM="


class ConfigError(RuntimeError):
    """Raised when the app is asked to start with a configuration that is not safe."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _number(name: str, default: float) -> float:
    """A number of at least 0 from the environment; a clear refusal for anything else."""
    raw = _env(name)
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigError(f"{name} must be a number of at least 0, not {raw!r}")
    return value


def _names(name: str, default: str) -> tuple[str, ...]:
    """A comma-separated list of host names, lower case."""
    return tuple(
        n.strip().lower().rstrip(".") for n in (_env(name, default) or "").split(",") if n.strip()
    )


def _flag(name: str, default: bool) -> bool:
    return (_env(name, "1" if default else "0") or "").lower() in ("1", "true", "yes", "on")


def vapid_key_file() -> str:
    """Where the VAPID private key file is (VAPID_PRIVATE_KEY_FILE), read without building
    the app: `flask push keys` must work before production has a key to start with."""
    return _env("VAPID_PRIVATE_KEY_FILE", str(INSTANCE / "vapid.pem"))


def _base() -> dict:
    """Settings shared by every environment."""
    return {
        "ENV_NAME": "development",
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'steady.sqlite3'}"),
        # A pooled connection is checked before use when it has been idle this long
        # (backend/database.py), instead of before every use (pool_pre_ping).
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "DATABASE_PING_AFTER_IDLE_SECONDS": 1.0,
        # Languages the product is written in; the first is the default.
        "LANGUAGES": ("en", "es"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "backend" / "translations"),
        # flask-smorest / OpenAPI (served at /api/openapi.json; our own docs page at /api/docs)
        "API_TITLE": "Steady API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Flask-Limiter: in memory by default, Redis (any `limits` URI) when configured.
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Bodies larger than this are refused with 413 before a view sees them.
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        # Behind a proxy: how many X-Forwarded-* hops to trust (0 = none), and only when the
        # request comes from one of these addresses or networks (the same variable gunicorn
        # reads; "*" = any, only where nothing but the proxy can reach the app). L1.
        "TRUSTED_PROXY_HOPS": int(_env("TRUSTED_PROXY_HOPS", "0") or 0),
        "TRUSTED_PROXY_ADDRESSES": _names("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        # gunicorn's worker processes (it reads the same variable): in-memory rate limits
        # would be counted per process, so production wants Redis when there are several.
        "WEB_CONCURRENCY": int(_number("WEB_CONCURRENCY", 2)),
        # HSTS and secure cookies only make sense over HTTPS.
        "PREFER_HTTPS": _flag("PREFER_HTTPS", False),
        # No public page sets a cookie; only the operators' console has a session.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_PATH": "/admin",
        # Over HTTPS the console cookie becomes `__Host-steady_admin` with Path=/ (the prefix
        # demands it); backend/accounts/auth.py derives that from PREFER_HTTPS.
        "SESSION_COOKIE_NAME": "steady_admin",
        # The console (/admin). CSRF is checked by the console itself, not app-wide: public
        # POSTs (the no-JS self-check, the API) carry no token. The token lives as long as
        # the console session, which ends after ADMIN_IDLE_MINUTES without a request.
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_TIME_LIMIT": None,
        "ADMIN_IDLE_MINUTES": 30,
        "ADMIN_IDLE_WARNING_SECONDS": 120,
        "ADMIN_SESSION_MAX_HOURS": 12,
        "ADMIN_LOGIN_LIMIT_PER_ADDRESS": "10 per minute",
        # Wrong passwords for one account from one address; then that address waits (L6:
        # someone who only knows an e-mail address cannot lock its operator out).
        "ADMIN_LOGIN_FAILURES_PER_ACCOUNT": "5 per 15 minutes",
        # Wrong codes (only someone with the password gets that far) lock the account.
        "ADMIN_LOCKOUT_AFTER": 5,
        "ADMIN_LOCKOUT_MINUTES": 15,
        # Changing sign-in settings or making an API token needs the password and a code
        # given in the session within this many minutes (M2).
        "ADMIN_CONFIRM_MINUTES": 5,
        # How long an API token lives (L2, M3).
        "API_TOKEN_DAYS": 90,
        # argon2id parameters (argon2-cffi's defaults, RFC 9106 low-memory, when empty).
        "PASSWORD_HASHING": {},
        # TOTP seeds are encrypted at rest (AES-GCM) with keys of their own, never derived from
        # SECRET_KEY: comma-separated, the first encrypts, all decrypt (rotation: deploy.md).
        "TOTP_ENCRYPTION_KEY": _env("TOTP_ENCRYPTION_KEY"),
        # Web Push (VAPID).
        "VAPID_PRIVATE_KEY_FILE": vapid_key_file(),
        "VAPID_SUBJECT": _env("VAPID_SUBJECT", "mailto:operators@steady.invalid"),
        # Or the key itself (raw or DER, base64url; or PEM text), which wins over the file.
        "VAPID_PRIVATE_KEY": _env("VAPID_PRIVATE_KEY"),
        # Check-in reminders (backend/reminders/): the API's guard rails and the worker's pace.
        # SSRF guard: only public push hosts. On (testing, development) it also accepts push
        # endpoints on 127.0.0.1/::1; production refuses to start with it (see .env.example).
        "REMINDERS_ALLOW_LOOPBACK_ENDPOINTS": _flag("REMINDERS_ALLOW_LOOPBACK_ENDPOINTS", False),
        # The push services endpoints may be on (each with its subdomains); "*" = any public
        # host. Chrome/Opera/Samsung (FCM), Firefox, Safari, Edge.
        "REMINDERS_PUSH_HOSTS": _names("REMINDERS_PUSH_HOSTS", PUSH_SERVICES),
        "REMINDERS_PUSH_LOOPBACK_ONLY": False,  # testing: the sender never leaves 127.0.0.1
        "REMINDERS_CREATE_RATE_LIMIT": _env("REMINDERS_CREATE_RATE_LIMIT", "20 per hour"),
        # Reading, changing or deleting one subscription by id and token, per address.
        "REMINDERS_MANAGE_RATE_LIMIT": _env("REMINDERS_MANAGE_RATE_LIMIT", "60 per minute"),
        "REMINDERS_TTL_SECONDS": 4 * 60 * 60,  # how long a push service keeps an undelivered one
        "REMINDERS_LEASE_SECONDS": 60,  # a claim not finished by then is another worker's
        # Sends in flight per worker (a thread each); the worker claims more while any is free.
        "REMINDERS_SEND_THREADS": 16,
        # Of those, at most this many to one push-service origin at a time.
        "REMINDERS_ORIGIN_CONCURRENCY": 12,
        # An origin that keeps failing pauses, for at most this long (capped at 60 s).
        "REMINDERS_ORIGIN_PAUSE_SECONDS": 30.0,
        # The hard deadline of one send, connect + whole answer (and never more than the two
        # timeouts together); always shorter than the lease (issue 12).
        "REMINDERS_SEND_DEADLINE": 15.0,
        "REMINDERS_BATCH_SIZE": 50,  # subscriptions claimed per transaction
        "REMINDERS_CONNECT_TIMEOUT": 3.05,
        "REMINDERS_READ_TIMEOUT": 10.0,
        "REMINDERS_MAX_ATTEMPTS": 10,  # with the 30 s base, retries reach ~3 h, inside the TTL
        "REMINDERS_RETRY_BASE_SECONDS": 30.0,  # backoff: base * 2**(attempt-1), with jitter
        "REMINDERS_POLL_SECONDS": 5.0,
        "SEND_FILE_MAX_AGE_DEFAULT": 0,
        # Public pages kept rendered in memory per process, for up to a minute (0 = off).
        "PAGE_CACHE_SIZE": int(_number("PAGE_CACHE_SIZE", 256)),
        # Helpline list pages kept in memory per process, by their strong ETag (0 = off).
        "HELPLINES_LIST_CACHE_SIZE": int(_number("HELPLINES_LIST_CACHE_SIZE", 128)),
        # How long each process trusts the directory's fingerprint before asking the database
        # again (writes in the same process are seen at once; others within this). 0 = never.
        "HELPLINES_FINGERPRINT_SECONDS": _number("HELPLINES_FINGERPRINT_SECONDS", 1.0),
        # The write API (POST/PATCH/DELETE with an operator token), per address.
        "HELPLINES_WRITE_RATE_LIMIT": _env("HELPLINES_WRITE_RATE_LIMIT", "120 per minute"),
        # Where Quick exit sends everyone, when set; unset, a neutral site that fits the
        # person's country and language (backend/pages/quick_exit.json).
        "QUICK_EXIT_URL": _env("QUICK_EXIT_URL"),
    }


def _development_secret() -> str:
    """A per-checkout secret kept under instance/, made on first use."""
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _development_totp_key() -> str:
    """A per-checkout TOTP seed key (32 random bytes) kept under instance/, made on first use."""
    import base64

    path = INSTANCE / "totp_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def _totp_key_problem(value: str) -> str | None:
    """Why TOTP_ENCRYPTION_KEY cannot be used, or None (the rule of accounts/totp_seal.py)."""
    import base64
    import binascii

    keys = [key.strip() for key in value.split(",") if key.strip()]
    if not keys:
        return "it is empty"
    for key in keys:
        try:
            raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            return "each key must be 32 random bytes in url-safe base64 (see docs/deploy.md)"
    return None


def _production_problems(values: dict) -> list[str]:
    """Unsafe production settings, each as a sentence (L1, L8; issue 9)."""
    problems = []
    if len((values["SECRET_KEY"] or "").encode()) < MIN_SECRET_BYTES:
        problems.append(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes of random text")
    totp_problem = _totp_key_problem(values["TOTP_ENCRYPTION_KEY"] or "")
    if totp_problem:
        problems.append(f"TOTP_ENCRYPTION_KEY cannot be used: {totp_problem}")
    storage = values["RATELIMIT_STORAGE_URI"]
    if storage.startswith("memory://") and values["WEB_CONCURRENCY"] > 1:
        problems.append(
            "RATELIMIT_STORAGE_URI is memory:// with WEB_CONCURRENCY > 1: each process would "
            "count on its own; use redis://… (or run one process)"
        )
    return problems


def _throwaway_vapid_key() -> str:
    """A fresh VAPID private key (raw, base64url) for one testing app: never a real one."""
    import base64

    from cryptography.hazmat.primitives.asymmetric import ec

    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def settings(name: str | None = None) -> dict:
    """Return the settings for `name` (development, production or testing).

    The name defaults to STEADY_ENV, then development.
    """
    name = name or _env("STEADY_ENV", "development")
    values = _base()
    values["ENV_NAME"] = name
    if name == "development":
        values["SECRET_KEY"] = _env("SECRET_KEY") or _development_secret()
        values["TOTP_ENCRYPTION_KEY"] = values["TOTP_ENCRYPTION_KEY"] or _development_totp_key()
    elif name == "production":
        values["SECRET_KEY"] = _env("SECRET_KEY")
        values["PREFER_HTTPS"] = _flag("PREFER_HTTPS", True)
        missing = [n for n in ("SECRET_KEY", "DATABASE_URL", "TOTP_ENCRYPTION_KEY") if not _env(n)]
        if not values["VAPID_PRIVATE_KEY"] and not Path(values["VAPID_PRIVATE_KEY_FILE"]).is_file():
            missing.append("VAPID_PRIVATE_KEY or VAPID_PRIVATE_KEY_FILE (see `flask push keys`)")
        if missing:
            raise ConfigError("Steady will not start in production without: " + ", ".join(missing))
        if values["REMINDERS_ALLOW_LOOPBACK_ENDPOINTS"]:
            raise ConfigError(
                "Steady will not start in production with REMINDERS_ALLOW_LOOPBACK_ENDPOINTS: "
                "it would let anyone point the reminder worker at this machine."
            )
        if problems := _production_problems(values):
            raise ConfigError("Steady will not start in production: " + "; ".join(problems))
    elif name == "testing":
        values.update(
            TESTING=True,
            SECRET_KEY="testing-secret-key-not-for-production",  # noqa: S106 - test-only value
            TOTP_ENCRYPTION_KEY=TESTING_TOTP_KEY,
            SQLALCHEMY_DATABASE_URI="sqlite://",
            RATELIMIT_STORAGE_URI="memory://",
            # Push: loopback receivers allowed, nothing else reachable; a throwaway VAPID key.
            REMINDERS_ALLOW_LOOPBACK_ENDPOINTS=True,
            REMINDERS_PUSH_LOOPBACK_ONLY=True,
            VAPID_PRIVATE_KEY=_env("VAPID_PRIVATE_KEY") or _throwaway_vapid_key(),
            # Every read asks the database (tests change lines behind the app's back);
            # tests/helplines/test_fingerprint.py switches it on.
            HELPLINES_FINGERPRINT_SECONDS=0,
            # Cheap argon2id so the suite stays fast; production keeps the defaults.
            PASSWORD_HASHING={"time_cost": 1, "memory_cost": 8192, "parallelism": 1},
        )
    else:
        raise ConfigError(f"STEADY_ENV must be development, production or testing, not {name!r}")
    values["SESSION_COOKIE_SECURE"] = values["PREFER_HTTPS"]
    return values
