"""Tests for bot.wecom_crypto against the official WeCom sample values in test-vectors.md."""

import base64

import defusedxml.ElementTree as SafeET
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.wecom_crypto import WeComCrypto, WeComCryptoError

TOKEN = "QDG6eK"
CORP_ID = "wx5823bf96d3bd56c7"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

GET_TIMESTAMP = "1409659589"
GET_NONCE = "263014780"
GET_ECHOSTR = (
    "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
)
GET_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
GET_PLAIN = "1616140317555161061"

POST_TIMESTAMP = "1409659813"
POST_NONCE = "1372623149"
POST_ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc"
    "dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLj"
    "vd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMn"
    "vw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k"
    "22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2Yoy"
    "yH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)
POST_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6"

RANDOM16 = bytes(range(16))


@pytest.fixture
def crypto() -> WeComCrypto:
    return WeComCrypto(TOKEN, AES_KEY, CORP_ID)


def _raw_plaintext(encrypted_b64: str) -> bytes:
    """Decrypt independently of the module (padding left in place)."""
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    return decryptor.update(base64.b64decode(encrypted_b64)) + decryptor.finalize()


def test_get_url_verification_sample(crypto: WeComCrypto) -> None:
    assert crypto.signature(GET_TIMESTAMP, GET_NONCE, GET_ECHOSTR) == GET_SIGNATURE
    assert crypto.verify_signature(GET_SIGNATURE, GET_TIMESTAMP, GET_NONCE, GET_ECHOSTR)
    assert crypto.verify_url(GET_SIGNATURE, GET_TIMESTAMP, GET_NONCE, GET_ECHOSTR) == GET_PLAIN


def test_post_message_sample(crypto: WeComCrypto) -> None:
    assert crypto.signature(POST_TIMESTAMP, POST_NONCE, POST_ENCRYPT) == POST_SIGNATURE
    xml = crypto.decrypt_message(POST_SIGNATURE, POST_TIMESTAMP, POST_NONCE, POST_ENCRYPT)
    root = SafeET.fromstring(xml)
    assert root.findtext("FromUserName") == "mycreate"
    assert root.findtext("ToUserName") == CORP_ID
    assert root.findtext("MsgType") == "text"
    assert root.findtext("Content") == "hello"
    assert root.findtext("MsgId") == "4561255354251345929"
    assert root.findtext("AgentID") == "218"
    # The receive id sits after the message in the raw plaintext.
    raw = _raw_plaintext(POST_ENCRYPT)
    size = int.from_bytes(raw[16:20], "big")
    assert raw[20 : 20 + size].decode("utf-8") == xml
    assert raw[20 + size : -raw[-1]] == CORP_ID.encode()


@pytest.mark.parametrize(("encrypted", "plain"), [(GET_ECHOSTR, GET_PLAIN), (POST_ENCRYPT, None)])
def test_encrypt_reproduces_official_ciphertext(
    crypto: WeComCrypto, encrypted: str, plain: str | None
) -> None:
    # With the sample's own 16 random bytes, our encryption must give the sample byte for byte,
    # which also checks the 32-byte PKCS#7 padding.
    random16 = _raw_plaintext(encrypted)[:16]
    message = crypto.decrypt(encrypted)
    if plain is not None:
        assert message == plain
    assert crypto.encrypt(message, random16) == encrypted


def test_official_sample_refused_for_another_receive_id() -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "wwothercorp0000001")
    with pytest.raises(WeComCryptoError) as excinfo:
        other.decrypt_message(POST_SIGNATURE, POST_TIMESTAMP, POST_NONCE, POST_ENCRYPT)
    assert excinfo.value.reason == "receive_id"


@pytest.mark.parametrize(
    "message",
    [
        "",
        "hello",
        "检查结果已公示，请于15个工作日内整改。",
        "<xml><Content><![CDATA[联合抽查 ✓ 🚀]]></Content></xml>",
        "x" * 12,  # 16 + 4 + 12 + 18 = 50 bytes
        "x" * 26,  # 64 bytes of plaintext: a whole extra block of padding
        "长" * 1000,
    ],
)
def test_round_trip(crypto: WeComCrypto, message: str) -> None:
    encrypted = crypto.encrypt(message)
    assert len(base64.b64decode(encrypted)) % 32 == 0
    assert crypto.decrypt(encrypted) == message
    assert crypto.decrypt(crypto.encrypt(message, RANDOM16)) == message


def test_encrypt_uses_fresh_randomness(crypto: WeComCrypto) -> None:
    assert crypto.encrypt("hello") != crypto.encrypt("hello")
    assert crypto.encrypt("hello", RANDOM16) == crypto.encrypt("hello", RANDOM16)


def test_encrypt_reply_round_trip(crypto: WeComCrypto) -> None:
    encrypted, signature = crypto.encrypt_reply("收到，谢谢", "1700000000", "nonce123")
    assert signature == crypto.signature("1700000000", "nonce123", encrypted)
    assert crypto.decrypt_message(signature, "1700000000", "nonce123", encrypted) == "收到，谢谢"


@pytest.mark.parametrize(
    "bad_signature",
    [
        "0" * 40,
        GET_SIGNATURE.upper(),
        GET_SIGNATURE[:-1],
        "",
        "签名" * 20,  # non-ASCII must give False, not TypeError from compare_digest
    ],
)
def test_wrong_signature_is_refused(crypto: WeComCrypto, bad_signature: str) -> None:
    assert not crypto.verify_signature(bad_signature, GET_TIMESTAMP, GET_NONCE, GET_ECHOSTR)
    with pytest.raises(WeComCryptoError) as excinfo:
        crypto.verify_url(bad_signature, GET_TIMESTAMP, GET_NONCE, GET_ECHOSTR)
    assert excinfo.value.reason == "signature"
    with pytest.raises(WeComCryptoError):
        crypto.decrypt_message(bad_signature, POST_TIMESTAMP, POST_NONCE, POST_ENCRYPT)


def test_signature_covers_timestamp_and_nonce(crypto: WeComCrypto) -> None:
    assert not crypto.verify_signature(GET_SIGNATURE, "1409659590", GET_NONCE, GET_ECHOSTR)
    assert not crypto.verify_signature(GET_SIGNATURE, GET_TIMESTAMP, "263014781", GET_ECHOSTR)
    with pytest.raises(WeComCryptoError):
        crypto.decrypt_message(POST_SIGNATURE, POST_TIMESTAMP, "1", POST_ENCRYPT)


def test_wrong_receive_id_is_refused(crypto: WeComCrypto) -> None:
    other = WeComCrypto(TOKEN, AES_KEY, "ww0123456789abcdef")
    encrypted = other.encrypt("hello")
    with pytest.raises(WeComCryptoError) as excinfo:
        crypto.decrypt(encrypted)
    assert excinfo.value.reason == "receive_id"
    # A receive id that is a prefix of ours must not pass either.
    shorter = WeComCrypto(TOKEN, AES_KEY, CORP_ID[:-1])
    with pytest.raises(WeComCryptoError):
        crypto.decrypt(shorter.encrypt("hello"))


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        ("not base64 at all!!", "base64"),
        ("abc", "base64"),
        ("中文密文", "base64"),
        ("", "length"),
        ("AAAA", "length"),
        (base64.b64encode(bytes(20)).decode(), "length"),
        (base64.b64encode(bytes(32)).decode(), "padding"),
    ],
)
def test_garbage_raises_wecom_error(crypto: WeComCrypto, garbage: str, reason: str) -> None:
    with pytest.raises(WeComCryptoError) as excinfo:
        crypto.decrypt(garbage)
    assert excinfo.value.reason == reason


def test_tampered_ciphertext_raises_wecom_error(crypto: WeComCrypto) -> None:
    data = bytearray(base64.b64decode(crypto.encrypt("hello", RANDOM16)))
    # Flipping the first byte of block 1 flips the high byte of the length field in block 2.
    data[0] ^= 0xFF
    with pytest.raises(WeComCryptoError) as excinfo:
        crypto.decrypt(base64.b64encode(bytes(data)).decode())
    assert excinfo.value.reason == "length"


@pytest.mark.parametrize("key", [AES_KEY[:-4], AES_KEY + "AAAA", "!" * 43, ""])
def test_bad_encoding_aes_key(key: str) -> None:
    with pytest.raises(ValueError):
        WeComCrypto(TOKEN, key, CORP_ID)


def test_random16_must_be_16_bytes(crypto: WeComCrypto) -> None:
    with pytest.raises(ValueError):
        crypto.encrypt("hello", b"short")


def test_repr_hides_secrets(crypto: WeComCrypto) -> None:
    text = repr(crypto)
    assert TOKEN not in text
    assert AES_KEY[:10] not in text
    assert CORP_ID in text
