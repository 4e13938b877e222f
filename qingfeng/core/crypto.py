"""The crypto adapter (SECURITY.md, 密评): SM3, HMAC-SM3 and SM4-GCM, all behind these few functions so that a
certified 商用密码 device can replace them without touching the callers."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SM4_KEY_BYTES = 16
_GCM_NONCE_BYTES = 12
_GCM_TAG_BYTES = 16


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def sm3_new() -> hashlib._Hash:
    """An incremental SM3 hasher (for files read in chunks)."""
    return hashlib.new("sm3")


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, "sm3").hexdigest()


def hmac_sm3(key: bytes) -> hmac.HMAC:
    """An HMAC-SM3 keyed once: `.copy()` it per message when hashing many (the audit chain's verify)."""
    return hmac.new(key, digestmod="sm3")


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
    """SM4 in GCM mode: returns nonce ‖ ciphertext ‖ tag."""
    nonce = os.urandom(_GCM_NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if associated_data:
        encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, associated_data: bytes = b"") -> bytes:
    nonce, body = blob[:_GCM_NONCE_BYTES], blob[_GCM_NONCE_BYTES:]
    ciphertext, tag = body[:-_GCM_TAG_BYTES], body[-_GCM_TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if associated_data:
        decryptor.authenticate_additional_data(associated_data)
    return decryptor.update(ciphertext) + decryptor.finalize()


def sm4_ecb_block(key: bytes, block: bytes) -> bytes:
    """One raw SM4 block, for the standard test vector only (GB/T 32907-2016 A.1)."""
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 - test vector only
    return encryptor.update(block) + encryptor.finalize()
