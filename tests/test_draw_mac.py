"""The draw's prepared HMAC gives the bytes of the standard library's hmac."""

from __future__ import annotations

import hashlib
import hmac
import importlib

import pytest

from services.draw import mac
from services.draw.mac import PreparedMac


@pytest.mark.parametrize("key", [b"", b"k" * 32, b"long" * 40])  # 160 bytes: hashed first
def test_prepared_mac_ranks_as_hmac_digest(key: bytes) -> None:
    messages = [f"9163020200000{n:04d}X".encode() for n in range(200)]
    expected = sorted((hmac.digest(key, b"enterprise:" + m, "sha256"), m) for m in messages)
    assert PreparedMac(key, b"enterprise:").lowest(messages, 5) == expected[:5]
    extended = PreparedMac(key, b"inspector:").extended(b"CODE:")
    ranked = extended.lowest([b"C1", b"C2"], 2)
    assert sorted(r for r, _ in ranked) == sorted(
        hmac.digest(key, b"inspector:CODE:" + c, "sha256") for c in (b"C1", b"C2")
    )


def test_without_cpythons_own_sha256_hashlib_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> object:
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", missing)
    assert mac._fastest_sha256() is hashlib.sha256
    rank, _ = PreparedMac(b"key", b"p:").lowest([b"m"], 1)[0]
    assert rank == hmac.digest(b"key", b"p:m", "sha256")
