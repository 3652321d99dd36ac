"""Audio and video evidence told by content: MP4 boxes, MP3 and AAC frames, their names.

An MP4 (or M4A) is an ISO base media file: a chain of boxes, the first `ftyp` with the
brands the file conforms to. It is taken as one only when its top-level boxes tile the
whole file and it has its movie box (`moov`): a file named .mp4 that is anything else, or
one cut short, is not. Other brands are named for what they are (QuickTime, 3GPP, HEIC),
which the default policy does not accept. MP3 and ADTS AAC have no file header: a valid
frame header must open the file, or follow its ID3 tag.
"""

from __future__ import annotations

from typing import Final

# What a refusal or a caption calls each type, and the suffix a file without a name gets.
LABELS: Final = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/pdf": "PDF",
    "video/mp4": "MP4",
    "audio/mp4": "M4A",
    "audio/aac": "AAC",
    "audio/mpeg": "MP3",
    "audio/wav": "WAV",
    "audio/amr": "AMR",
    "audio/ogg": "OGG",
    "video/quicktime": "MOV",
    "video/3gpp": "3GP",
    "image/heic": "HEIC",
}
SUFFIXES: Final = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "audio/mp4": ".m4a",
    "audio/aac": ".aac",
    "audio/mpeg": ".mp3",
    "audio/wav": ".wav",
    "audio/amr": ".amr",
    "audio/ogg": ".ogg",
    "video/quicktime": ".mov",
    "video/3gpp": ".3gp",
    "image/heic": ".heic",
}

# Major brands of the ftyp box (ISO/IEC 14496-12, -14, and the registered MP4 brands).
_BRANDS: Final = {
    **dict.fromkeys((b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42"), "video/mp4"),
    **dict.fromkeys((b"avc1", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"dash", b"MSNV"), "video/mp4"),
    **dict.fromkeys((b"M4A ", b"M4B "), "audio/mp4"),
    b"qt  ": "video/quicktime",
    **dict.fromkeys((b"3gp4", b"3gp5", b"3gp6", b"3g2a"), "video/3gpp"),
    **dict.fromkeys((b"heic", b"heix", b"mif1", b"msf1"), "image/heic"),
}
# Boxes that may stand at the top level of such a file.
_TOP: Final = frozenset(
    b"ftyp moov mdat free skip wide uuid pdin moof mfra sidx ssix styp meta prft emsg pnot".split()
)
MAX_BOXES = 10_000  # top-level boxes: real files have a handful (fragmented ones, hundreds)
ID3_SEARCH = 4096  # bytes after an ID3 tag where the first audio frame is looked for


def _boxes(data: bytes) -> list[bytes] | None:
    """The types of the top-level boxes when they tile the file exactly, else None."""
    types: list[bytes] = []
    offset, end = 0, len(data)
    while offset < end:
        if end - offset < 8 or len(types) >= MAX_BOXES:
            return None
        size, header = int.from_bytes(data[offset : offset + 4], "big"), 8
        if size == 1:  # a 64-bit size follows the type
            if end - offset < 16:
                return None
            size, header = int.from_bytes(data[offset + 8 : offset + 16], "big"), 16
        elif size == 0:  # the last box, to the end of the file
            size = end - offset
        if size < header or size > end - offset:
            return None
        types.append(data[offset + 4 : offset + 8])
        offset += size
    return types


def iso_media(data: bytes) -> str | None:
    """The type of an ISO base media file (MP4, M4A ...), None when it is not a whole one."""
    size = int.from_bytes(data[:4], "big")
    if data[4:8] != b"ftyp" or size < 16 or size % 4:
        return None
    types = _boxes(data)
    if types is None or b"moov" not in types or not set(types) <= _TOP:
        return None
    return _BRANDS.get(data[8:12])


def _frame(head: bytes) -> str | None:
    """The type of an MPEG audio or ADTS frame header, None when it is not a valid one."""
    if len(head) < 4 or head[0] != 0xFF:
        return None
    b1, b2 = head[1], head[2]
    if b1 & 0xF6 == 0xF0:  # ADTS: 12 sync bits, then layer 00
        return "audio/aac" if (b2 >> 2) & 0x0F < 13 else None
    if b1 & 0xE0 != 0xE0:
        return None
    version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3
    bitrate, rate = b2 >> 4, (b2 >> 2) & 3
    if version == 1 or layer == 0 or bitrate in (0, 15) or rate == 3:
        return None  # a reserved or "free" value: noise that happens to start with FF
    return "audio/mpeg"


def mpeg_audio(data: bytes) -> str | None:
    """MP3 or AAC by its first frame (after an ID3v2 tag if there is one), else None."""
    if not data.startswith(b"ID3"):
        return _frame(data[:4])
    if len(data) < 10 or data[3] not in (2, 3, 4) or any(b & 0x80 for b in data[6:10]):
        return None
    size = 10 + sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    if data[5] & 0x10:
        size += 10  # a footer
    # Some encoders pad past the tag's stated size: the first frame is looked for nearby.
    for at in range(size, min(size + ID3_SEARCH, len(data) - 3)):
        if data[at] == 0xFF and (found := _frame(data[at : at + 4])) is not None:
            return found
    return None
