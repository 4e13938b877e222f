"""The crypto adapter against the standard test vectors (GB/T 32905-2016 SM3, GB/T 32907-2016 SM4)."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from qingfeng.core import crypto


def test_sm3_matches_the_standard_vectors() -> None:
    assert crypto.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert crypto.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_matches_the_standard_vector() -> None:
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert crypto.sm4_ecb_block(key, key).hex() == "681edf34d206965e86b3e94f536e4246"


def test_hmac_sm3_depends_on_key_and_message() -> None:
    a = crypto.hmac_sm3_hex(b"k1", b"message")
    assert len(a) == 64
    assert a != crypto.hmac_sm3_hex(b"k2", b"message")
    assert a != crypto.hmac_sm3_hex(b"k1", b"message!")


def test_sm4_gcm_round_trips_and_detects_tampering() -> None:
    key = bytes(range(16))
    blob = crypto.sm4_gcm_encrypt(key, "身份证号 110101199003070011".encode(), b"person:1")
    assert crypto.sm4_gcm_decrypt(key, blob, b"person:1").decode() == "身份证号 110101199003070011"
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(InvalidTag):
        crypto.sm4_gcm_decrypt(key, tampered, b"person:1")
    with pytest.raises(InvalidTag):
        crypto.sm4_gcm_decrypt(key, blob, b"person:2")
