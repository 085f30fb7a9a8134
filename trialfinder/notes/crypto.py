"""Passcodes, key derivation and authenticated encryption for shared notes (no Flask here).

The passcode is the only key: the server keeps the salt, the nonce and the ciphertext, never the
passcode nor the plain text, so a copy of the database reveals nothing without it.
"""

import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

# Crockford's base32: no I, L, O or U, and what people mistype is read as meant (O as 0, I/L as 1).
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
GROUPS, GROUP_SIZE = 4, 4
PASSCODE_LENGTH = GROUPS * GROUP_SIZE  # 16 symbols of 5 bits: 80 bits
SALT_BYTES, NONCE_BYTES, KEY_BYTES = 16, 12, 32
# scrypt cost: about 32 MiB and a tenth of a second per try, which makes guessing offline costly.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class WrongPasscode(Exception):
    """The passcode does not open these notes (or they were tampered with)."""


@dataclass(frozen=True)
class Sealed:
    """What may be stored: nothing in it reveals the passcode or the plain text."""

    salt: bytes
    nonce: bytes
    ciphertext: bytes


def new_passcode() -> str:
    """Return a random passcode of 80 bits, written as four groups of four, e.g. 7KQ2-..."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(PASSCODE_LENGTH))
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, PASSCODE_LENGTH, GROUP_SIZE))


def normalize_passcode(typed: str) -> str | None:
    """Return the canonical passcode for what a person typed, or None if it cannot be one."""
    compact = "".join(typed.split()).replace("-", "").upper().translate(CONFUSABLE)
    if len(compact) != PASSCODE_LENGTH or any(char not in ALPHABET for char in compact):
        return None
    return compact


def derive_key(passcode: str, salt: bytes) -> bytes:
    """Derive an AES-256 key from a passcode (any typing of it) and a per-note salt."""
    canonical = normalize_passcode(passcode)
    if canonical is None:
        raise WrongPasscode
    kdf = Scrypt(salt=salt, length=KEY_BYTES, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(canonical.encode("ascii"))


def seal(plaintext: bytes, passcode: str, context: bytes) -> Sealed:
    """Encrypt with a key from the passcode; `context` is authenticated, not stored secret."""
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(derive_key(passcode, salt)).encrypt(nonce, plaintext, context)
    return Sealed(salt=salt, nonce=nonce, ciphertext=ciphertext)


def unseal(sealed: Sealed, passcode: str, context: bytes) -> bytes:
    """Decrypt, or raise WrongPasscode when the passcode, the context or the data differ."""
    key = derive_key(passcode, sealed.salt)
    try:
        return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, context)
    except InvalidTag as error:
        raise WrongPasscode from error
