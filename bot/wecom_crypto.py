"""WeCom (企业微信) callback message crypto: signatures and AES-256-CBC message encryption.

Follows the official scheme: AES key = base64decode(EncodingAESKey + "="), IV = key[:16],
PKCS#7 padding to a 32-byte block, plaintext = 16 random bytes | 4-byte big-endian message
length | message | receive id; signature = sha1 hex of the sorted concatenation of token,
timestamp, nonce and the encrypted text.
"""

import base64
import binascii
import hashlib
import hmac
import os
from typing import Final

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_LENGTH: Final = 32
# WeCom pads to 32 bytes, not to the 16-byte AES block, so the library padder cannot be used.
PAD_BLOCK: Final = 32
RANDOM_LENGTH: Final = 16
_LENGTH_FIELD: Final = 4
_HEADER: Final = RANDOM_LENGTH + _LENGTH_FIELD
_AES_BLOCK: Final = 16


class WeComCryptoError(Exception):
    """A callback could not be verified or decrypted; `reason` is a short key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _utf8(text: str) -> bytes:
    """Encode text from the network without failing on stray surrogates."""
    return text.encode("utf-8", "surrogatepass")


def _pad(data: bytes) -> bytes:
    """PKCS#7 padding to a 32-byte block (always adds 1-32 bytes)."""
    amount = PAD_BLOCK - len(data) % PAD_BLOCK
    return data + bytes([amount]) * amount


def _unpad(data: bytes) -> bytes:
    """Remove PKCS#7 padding to a 32-byte block, refusing anything malformed."""
    if not data:
        raise WeComCryptoError("padding")
    amount = data[-1]
    if not 1 <= amount <= PAD_BLOCK or amount > len(data):
        raise WeComCryptoError("padding")
    if data[-amount:] != bytes([amount]) * amount:
        raise WeComCryptoError("padding")
    return data[:-amount]


class WeComCrypto:
    """Signs, verifies, encrypts and decrypts WeCom callback messages for one application."""

    __slots__ = ("_iv", "_key", "_receive_id", "_token")

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("EncodingAESKey is not valid base64") from exc
        if len(key) != KEY_LENGTH:
            raise ValueError(f"EncodingAESKey must decode to {KEY_LENGTH} bytes, got {len(key)}")
        self._token = token
        self._key = key
        self._iv = key[:_AES_BLOCK]
        self._receive_id = _utf8(receive_id)

    def __repr__(self) -> str:
        # Keep the token and key out of logs and tracebacks.
        return f"WeComCrypto(receive_id={self._receive_id.decode('utf-8', 'replace')!r})"

    def _cipher(self) -> Cipher[modes.CBC]:
        """Build a fresh AES-256-CBC cipher; contexts are single-use."""
        return Cipher(algorithms.AES(self._key), modes.CBC(self._iv))

    def signature(self, timestamp: str, nonce: str, encrypted: str) -> str:
        """Return the sha1 hex signature of the sorted token, timestamp, nonce and text."""
        parts = sorted([self._token, timestamp, nonce, encrypted])
        return hashlib.sha1(_utf8("".join(parts))).hexdigest()

    def verify_signature(
        self, msg_signature: str, timestamp: str, nonce: str, encrypted: str
    ) -> bool:
        """Check a msg_signature in constant time."""
        expected = self.signature(timestamp, nonce, encrypted)
        # Compare bytes: compare_digest raises TypeError on non-ASCII str input.
        return hmac.compare_digest(_utf8(expected), _utf8(msg_signature))

    def decrypt(self, encrypted_b64: str) -> str:
        """Decrypt a base64 message, check the receive id and return the message text."""
        try:
            data = base64.b64decode(encrypted_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise WeComCryptoError("base64") from exc
        if not data or len(data) % _AES_BLOCK:
            raise WeComCryptoError("length")
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(data) + decryptor.finalize())
        if len(plain) < _HEADER:
            raise WeComCryptoError("length")
        size = int.from_bytes(plain[RANDOM_LENGTH:_HEADER], "big")
        if size > len(plain) - _HEADER:
            raise WeComCryptoError("length")
        message, receive_id = plain[_HEADER : _HEADER + size], plain[_HEADER + size :]
        if not hmac.compare_digest(receive_id, self._receive_id):
            raise WeComCryptoError("receive_id")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WeComCryptoError("encoding") from exc

    def encrypt(self, message: str, random16: bytes | None = None) -> str:
        """Encrypt a message for WeCom and return it base64-encoded."""
        prefix = os.urandom(RANDOM_LENGTH) if random16 is None else random16
        if len(prefix) != RANDOM_LENGTH:
            raise ValueError(f"random16 must be {RANDOM_LENGTH} bytes, got {len(prefix)}")
        body = message.encode("utf-8")
        plain = prefix + len(body).to_bytes(_LENGTH_FIELD, "big") + body + self._receive_id
        encryptor = self._cipher().encryptor()
        data = encryptor.update(_pad(plain)) + encryptor.finalize()
        return base64.b64encode(data).decode("ascii")

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """Verify the callback-URL check (GET) and return the decrypted echostr."""
        return self.decrypt_message(msg_signature, timestamp, nonce, echostr)

    def decrypt_message(
        self, msg_signature: str, timestamp: str, nonce: str, encrypted: str
    ) -> str:
        """Verify the signature of an encrypted message (POST), then decrypt it."""
        # Refuse before decrypting so that unsigned input never reaches the padding checks.
        if not self.verify_signature(msg_signature, timestamp, nonce, encrypted):
            raise WeComCryptoError("signature")
        return self.decrypt(encrypted)

    def encrypt_reply(self, message: str, timestamp: str, nonce: str) -> tuple[str, str]:
        """Encrypt a passive reply and return (encrypted, msg_signature)."""
        encrypted = self.encrypt(message)
        return encrypted, self.signature(timestamp, nonce, encrypted)
