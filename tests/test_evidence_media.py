"""Audio and video evidence: MP4 and common audio judged by content, within the size limit,
hashed, listed with the record and fetched by the reviewer; fakes refused, nothing kept."""

from __future__ import annotations

import hashlib
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App
from handlers.core.db import unit_of_work
from models import EvidenceFile, InspectionResult
from services.common.errors import InvalidInput
from services.common.policy import ALLOWED_TYPES, MAX_EVIDENCE_BYTES
from services.records import evidence
from tests import records_fixture as rf
from tests.helpers import row_counts, say, texts


def box(kind: bytes, body: bytes) -> bytes:
    """An ISO base media box: 32-bit size, type, body."""
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4(brand: bytes = b"isom", media: bytes = b"\x00" * 64) -> bytes:
    """A small MP4 as phones write it: ftyp, moov, mdat."""
    ftyp = box(b"ftyp", brand + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41")
    moov = box(b"moov", box(b"mvhd", b"\x00" * 100))
    return ftyp + moov + box(b"mdat", media)


def mp3(tagged: bool = True) -> bytes:
    """An MP3: an ID3v2.4 tag (or none), then MPEG-1 Layer III frames at 128 kbit/s."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    tag = b"ID3\x04\x00\x00" + bytes([0, 0, 0, 10]) + b"TIT2" + b"\x00" * 6
    return (tag if tagged else b"") + frame * 3


def wav() -> bytes:
    """A WAV: RIFF, WAVE, a fmt chunk and some samples."""
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    data = b"data" + struct.pack("<I", 32) + b"\x00" * 32
    return b"RIFF" + struct.pack("<I", 4 + len(fmt) + len(data)) + b"WAVE" + fmt + data


SAMPLES = {
    "video/mp4": mp4(),
    "audio/mp4": mp4(b"M4A "),
    "audio/mpeg": mp3(),
    "audio/aac": b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\x00" * 64,
    "audio/wav": wav(),
    "audio/amr": b"#!AMR\n" + b"\x3c" + b"\x00" * 31,
    "audio/ogg": b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead" + b"\x00" * 11,
}


@pytest.mark.parametrize("mime", sorted(SAMPLES))
def test_each_audio_and_video_type_is_told_by_its_content_and_accepted(mime: str) -> None:
    assert mime in ALLOWED_TYPES
    assert evidence.check_file(SAMPLES[mime]) == mime


def test_an_mp3_without_a_tag_and_the_mp4_brands_of_phones_are_recognised() -> None:
    assert evidence.sniff(mp3(tagged=False)) == "audio/mpeg"
    for brand in (b"mp42", b"mp41", b"avc1", b"M4V "):
        assert evidence.sniff(mp4(brand)) == "video/mp4"


@pytest.mark.parametrize(
    "fake",
    [
        pytest.param(b"this is not a video at all, just text\n" * 10, id="text"),
        pytest.param(mp4()[:-10], id="cut-short"),
        pytest.param(mp4() + b"trailing junk", id="junk-after"),
        pytest.param(box(b"ftyp", b"isom\x00\x00\x02\x00") + box(b"mdat", b"\0" * 9), id="no-moov"),
        pytest.param(b"\x00\x00\x00\x18ftypisom" + b"\xff" * 40, id="broken-boxes"),
        pytest.param(b"\xff\xfb\xf0\x00" + b"\x00" * 40, id="bad-mp3-bitrate"),
        pytest.param(b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 40, id="tag-without-audio"),
    ],
)
def test_a_file_that_only_claims_to_be_media_is_refused(fake: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        evidence.check_file(fake)
    assert refused.value.key == "evidence.bad_type"
    assert "MP4" in refused.value.params["types"] and "MP3" in refused.value.params["types"]


def test_quicktime_and_heic_are_named_but_not_accepted_by_default() -> None:
    assert evidence.sniff(mp4(b"qt  ")) == "video/quicktime"
    assert evidence.sniff(mp4(b"heic")) == "image/heic"
    with pytest.raises(InvalidInput):
        evidence.check_file(mp4(b"qt  "))
    allowed = (*ALLOWED_TYPES, "video/quicktime")
    assert evidence.check_file(mp4(b"qt  "), allowed=allowed) == "video/quicktime"


def test_a_video_over_the_limit_is_refused_by_its_size() -> None:
    big = mp4(media=b"\x00" * MAX_EVIDENCE_BYTES)
    with pytest.raises(InvalidInput) as refused:
        evidence.check_file(big)
    assert refused.value.key == "evidence.too_big"
    assert evidence.check_file(big, max_bytes=len(big)) == "video/mp4"


@given(st.binary(max_size=300))
def test_sniffing_never_fails_on_any_bytes(data: bytes) -> None:
    assert evidence.sniff(data) in (None, *evidence.media.LABELS)
    assert evidence.sniff(b"\x00\x00\x00\x10ftyp" + data) in (None, *evidence.media.LABELS)


async def _at_evidence_step(app: App) -> str:
    """A team member at the evidence step of a problem of their record; their login."""
    _, mine, _ = await rf.ready(app)
    login = mine.logins[0]
    await rf.press(app, login, f"rec:{mine.assignment_id}")
    await rf.press(app, login, f"f:record:c+:{await rf.category_id(app, 'other_market_rule')}")
    await rf.press(app, login, "f:record:cdone")
    await rf.press(app, login, "f:record:padd")
    await rf.press(app, login, "f:record:item:0")
    await say(app, login, "现场录像和录音")
    await rf.press(app, login, "f:record:basis:none")
    return login


async def test_video_and_voice_are_kept_hashed_and_the_reviewer_fetches_each(app: App) -> None:
    login = await _at_evidence_step(app)
    video, voice = mp4(media=b"\x01" * 512), SAMPLES["audio/ogg"]
    assert "已保存" in texts(await rf.upload(app, login, video, "现场.mp4", "video/mp4"))
    assert "已保存" in texts(await rf.upload(app, login, voice, "voice", "audio/ogg"))
    for step in ("pdone", "pnone", "hub", "submit"):
        await rf.press(app, login, f"f:record:{step}")
    async with unit_of_work(app.sessions, write=False) as session:
        rid = await session.scalar(select(InspectionResult.id))
        kept = (await session.scalars(select(EvidenceFile).order_by(EvidenceFile.id))).all()
    assert [(f.mime, f.sha256, f.size) for f in kept] == [
        ("video/mp4", hashlib.sha256(video).hexdigest(), len(video)),
        ("audio/ogg", hashlib.sha256(voice).hexdigest(), len(voice)),
    ]
    shown = await rf.press(app, "coord", f"review:ev:{rid}")
    documents = [r.document for r in shown]
    assert [(d.mime, d.data) for d in documents if d is not None] == [
        ("video/mp4", video),
        ("audio/ogg", voice),
    ]


async def test_a_big_video_or_a_fake_mp4_is_refused_and_changes_nothing(app: App) -> None:
    login = await _at_evidence_step(app)
    before = await row_counts(app)
    big = mp4(media=b"\x00" * MAX_EVIDENCE_BYTES)
    refused = await rf.upload(app, login, big, "现场.mp4", "video/mp4")
    assert "文件过大" in texts(refused)
    fake = await rf.upload(app, login, b"<html>not a video</html>", "现场.mp4", "video/mp4")
    assert "文件类型不支持" in texts(fake) and "MP4" in texts(fake)
    assert await row_counts(app) == before
    assert not (app.settings.data_dir / "evidence").exists()
