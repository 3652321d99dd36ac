"""Properties of the WeCom intake: whatever arrives, the crypto and the XML reader return a
value or refuse, the callback answers 2xx or 4xx, and a refusal changes no row."""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import AsyncIterator
from xml.sax.saxutils import escape

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from bot.app import App
from bot.wecom import parse_xml, read_envelope
from bot.wecom_crypto import WeComCrypto, WeComCryptoError
from tests.helpers import row_counts
from tests.telegram_helpers import domain_rows
from tests.wecom_helpers import AES_KEY, CORP, TOKEN, Rig, wecom_rig

# A quarter of the profile's examples where each is a request and a few database queries.
THROUGH_THE_DATABASE = settings(max_examples=max(20, settings().max_examples // 4))

CRYPTO = WeComCrypto(TOKEN, AES_KEY, CORP)
KEY = base64.b64decode(AES_KEY + "=")

FRAGMENTS = st.sampled_from(
    [
        "<xml>",
        "</xml>",
        "<Encrypt>",
        "</Encrypt>",
        "<![CDATA[",
        "]]>",
        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
        '<!ENTITY b SYSTEM "file:///etc/passwd">',
        "&a;",
        "&amp;",
        "&#0;",
        "&#x10FFFF;",
        "&#99999999999;",
        '<?xml version="1.0" encoding="utf-16"?>',
        '<?xml version="1.0" encoding="bogus"?>',
        '<?xml version="1.0" encoding="gb2312"?>',
        "<a b='c'>",
        "<ns:x xmlns:ns='u'>",
        "\x00",
        "\ud800",
        "检查",
    ]
)
XMLISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=12).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)
BODIES = st.one_of(st.binary(max_size=400), XMLISH)
FIELDS = st.one_of(st.text(max_size=40), st.sampled_from(["", "²", "1" * 400, "-1", "0"]))


@pytest.fixture
async def rig(app: App) -> AsyncIterator[Rig]:
    async with wecom_rig(app) as made:
        yield made


@pytest.fixture
async def rows(app: App) -> dict[str, int]:
    """The row counts before any example ran (every example must leave them so)."""
    return await row_counts(app)


@given(BODIES)
def test_the_xml_reader_returns_an_element_or_none(body: bytes) -> None:
    root = parse_xml(body)
    envelope = read_envelope(body)
    assert (root is None) == (envelope is None)
    assert envelope is None or isinstance(envelope, str)


@given(FIELDS, FIELDS, FIELDS, st.one_of(st.text(max_size=200), BODIES.map(base64.b64encode)))
def test_verifying_and_decrypting_anything_returns_text_or_refuses(
    signature: str, timestamp: str, nonce: str, encrypted: str | bytes
) -> None:
    text = encrypted.decode() if isinstance(encrypted, bytes) else encrypted
    assert isinstance(CRYPTO.verify_signature(signature, timestamp, nonce, text), bool)
    for call in (
        lambda: CRYPTO.decrypt(text),
        lambda: CRYPTO.decrypt_message(signature, timestamp, nonce, text),
        lambda: CRYPTO.verify_url(CRYPTO.signature(timestamp, nonce, text), timestamp, nonce, text),
    ):
        with contextlib.suppress(WeComCryptoError):
            assert isinstance(call(), str)


@given(
    st.binary(max_size=96),
    st.one_of(st.none(), st.integers(0, 2**32 - 1)),
    st.one_of(st.binary(max_size=24), st.just(CORP.encode())),
)
def test_a_ciphertext_under_our_key_with_anything_inside_decrypts_or_refuses(
    body: bytes, declared: int | None, tail: bytes
) -> None:
    # Valid padding, so that the checks behind it (length, receive id, UTF-8) are reached.
    size = len(body) if declared is None else declared
    plain = os.urandom(16) + size.to_bytes(4, "big") + body + tail
    amount = 32 - len(plain) % 32
    encryptor = Cipher(algorithms.AES(KEY), modes.CBC(KEY[:16])).encryptor()
    data = encryptor.update(plain + bytes([amount]) * amount) + encryptor.finalize()
    try:
        message = CRYPTO.decrypt(base64.b64encode(data).decode())
    except WeComCryptoError:
        return
    rest = body + tail
    assert message.encode("utf-8") == rest[:size] and rest[size:] == CORP.encode()


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=300))
def test_what_we_encrypt_decrypts_to_itself(message: str) -> None:
    assert CRYPTO.decrypt(CRYPTO.encrypt(message)) == message


@THROUGH_THE_DATABASE
@given(FIELDS, FIELDS, FIELDS, BODIES)
async def test_an_unsigned_callback_is_refused_and_changes_nothing(
    app: App,
    rig: Rig,
    rows: dict[str, int],
    signature: str,
    timestamp: str,
    nonce: str,
    body: bytes,
) -> None:
    params = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce}
    response = await rig.endpoint.post("/wecom/callback", params=params, content=body)
    assert response.status_code in (400, 403)
    assert await row_counts(app) == rows


def _inner(kind: str, sender: str, fields: dict[str, str]) -> str:
    parts = [f"<MsgType>{escape(kind)}</MsgType>", f"<FromUserName>{escape(sender)}</FromUserName>"]
    parts += [f"<{name}>{escape(value)}</{name}>" for name, value in fields.items()]
    return f"<xml><ToUserName>{CORP}</ToUserName>{''.join(parts)}</xml>"


INNER_FIELDS = st.dictionaries(
    st.sampled_from(["Content", "MsgId", "MediaId", "Event", "EventKey", "TaskId", "CreateTime"]),
    FIELDS,
)


@THROUGH_THE_DATABASE
@given(
    st.sampled_from(["text", "image", "file", "event", "voice", ""]),
    FIELDS,
    INNER_FIELDS,
    st.sampled_from(["template_card_event", "enter_agent", ""]),
)
async def test_a_signed_callback_with_any_message_is_answered_and_a_refusal_changes_nothing(
    app: App,
    rig: Rig,
    rows: dict[str, int],
    kind: str,
    sender: str,
    fields: dict[str, str],
    event: str,
) -> None:
    assume(not fields.get("Content", "").strip().lower().startswith("/bind"))
    if kind == "event":
        fields = {**fields, "Event": event}
    response = await rig.post(_inner(kind, sender, fields))
    assert response.status_code in (200, 400, 403)
    # A stranger's message is refused: only the ledger of handled updates grows.
    assert await domain_rows(app) == {k: v for k, v in rows.items() if k != "processed_updates"}
