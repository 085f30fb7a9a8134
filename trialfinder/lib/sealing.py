"""Sealed values: encrypted, authenticated and timed, for what a cookie may carry but not show.

No Flask here. A sealed value is a Fernet token (AES-CBC with an HMAC, and the time it was made)
under a key derived from the site's secret key for one purpose, so nobody holding the cookie can
read it, change it, or use it after `max_age`. Old secret keys (fallbacks) still open it.
"""

import base64
import json
from collections.abc import Iterable

from cryptography.fernet import Fernet as _Fernet
from cryptography.fernet import InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _key(secret_key: str | bytes, purpose: str) -> _Fernet:
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    info = f"trialfinder sealed {purpose}".encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)
    return _Fernet(base64.urlsafe_b64encode(derived))


def _keys(secret_keys: Iterable[str | bytes], purpose: str) -> MultiFernet:
    return MultiFernet([_key(secret, purpose) for secret in secret_keys if secret])


def seal(secret_keys: Iterable[str | bytes], purpose: str, value: object, now: float) -> str:
    """Return `value` (JSON-able) sealed under the first key, stamped with `now`."""
    data = json.dumps(value, separators=(",", ":")).encode()
    return _keys(secret_keys, purpose).encrypt_at_time(data, int(now)).decode("ascii")


def unseal(
    secret_keys: Iterable[str | bytes], purpose: str, token: object, max_age: int, now: float
) -> object | None:
    """Return the value sealed in `token`, or None when it is expired, altered or not a token."""
    if not isinstance(token, str) or not token:
        return None
    try:
        data = _keys(secret_keys, purpose).decrypt_at_time(token.encode(), max_age, int(now))
        return json.loads(data)
    except (InvalidToken, ValueError, UnicodeError):
        return None
