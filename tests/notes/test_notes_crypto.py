"""Passcodes and encryption of shared notes, without an app."""

import re

import pytest

from trialfinder.notes import crypto

CONTEXT = b"token|NCT06709469|en"
PLAIN = "Ask Dr. García about the second infusion".encode()


def test_a_passcode_is_four_groups_of_four_unambiguous_symbols_worth_80_bits():
    passcodes = {crypto.new_passcode() for _ in range(500)}
    assert len(passcodes) == 500
    for passcode in passcodes:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", passcode)
    assert len(crypto.ALPHABET) ** crypto.PASSCODE_LENGTH >= 2**80
    assert not set("ILOU") & set(crypto.ALPHABET)


def test_notes_sealed_with_a_passcode_open_with_it():
    passcode = crypto.new_passcode()
    sealed = crypto.seal(PLAIN, passcode, CONTEXT)
    assert crypto.unseal(sealed, passcode, CONTEXT) == PLAIN
    assert PLAIN not in sealed.ciphertext
    assert passcode.encode() not in sealed.ciphertext + sealed.salt + sealed.nonce


def test_the_passcode_opens_them_however_it_is_typed():
    passcode = "0A1B-CDEF-GH2J-KM34"
    sealed = crypto.seal(PLAIN, passcode, CONTEXT)
    for typed in (
        "0a1b cdef gh2j km34",
        "OA1B-CDEF-GH2J-KM34",
        "0AIB-CDEF-GH2J-KM34",
        "0alb cdefgh2jkm34",
    ):
        assert crypto.unseal(sealed, typed, CONTEXT) == PLAIN


@pytest.mark.parametrize(
    "change",
    ["passcode", "context", "ciphertext", "nonce", "salt"],
)
def test_anything_wrong_or_tampered_refuses_to_open(change):
    passcode = crypto.new_passcode()
    sealed = crypto.seal(PLAIN, passcode, CONTEXT)
    other = crypto.new_passcode()
    flip = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]
    attempts = {
        "passcode": (sealed, other, CONTEXT),
        "context": (sealed, passcode, b"other-token|NCT06709469|en"),
        "ciphertext": (crypto.Sealed(sealed.salt, sealed.nonce, flip), passcode, CONTEXT),
        "nonce": (crypto.Sealed(sealed.salt, bytes(12), sealed.ciphertext), passcode, CONTEXT),
        "salt": (crypto.Sealed(bytes(16), sealed.nonce, sealed.ciphertext), passcode, CONTEXT),
    }
    with pytest.raises(crypto.WrongPasscode):
        crypto.unseal(*attempts[change])


def test_each_seal_has_its_own_salt_and_nonce():
    passcode = crypto.new_passcode()
    first, second = crypto.seal(PLAIN, passcode, CONTEXT), crypto.seal(PLAIN, passcode, CONTEXT)
    assert first.salt != second.salt and first.nonce != second.nonce
    assert first.ciphertext != second.ciphertext


@pytest.mark.parametrize(
    "typed",
    ["", "0A1B-CDEF-GH2J", "0A1B-CDEF-GH2J-KM34-5", "0A1B-CDEF-GH2J-KMU4", "0A1B-CDEF-GH2J-KM3!"],
)
def test_what_cannot_be_a_passcode_is_recognised(typed):
    assert crypto.normalize_passcode(typed) is None
    with pytest.raises(crypto.WrongPasscode):
        crypto.derive_key(typed, bytes(16))


@pytest.mark.real_scrypt
def test_notes_sealed_at_the_shipped_cost_open_with_their_passcode_only():
    """The shipped cost: 128 * N * r bytes = 32 MiB per try (other tests run at N = 2**10)."""
    assert (crypto.SCRYPT_N, crypto.SCRYPT_R, crypto.SCRYPT_P) == (2**15, 8, 1)
    assert 128 * crypto.SCRYPT_N * crypto.SCRYPT_R == 32 * 2**20
    passcode = crypto.new_passcode()
    sealed = crypto.seal(PLAIN, passcode, CONTEXT)
    assert crypto.unseal(sealed, passcode, CONTEXT) == PLAIN
    with pytest.raises(crypto.WrongPasscode):
        crypto.unseal(sealed, crypto.new_passcode(), CONTEXT)
