"""Which encoding a CSV is in: UTF-8 (with or without BOM) or GB18030, and nothing else.

Big5 and Shift-JIS bytes mostly decode as GB18030 too, into the wrong characters, so a
file that is not UTF-8 is shown to charset-normalizer (its lines that are not ASCII, up to
256 KB): a file it finds to be in another encoding is refused, naming that encoding.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from services.common.errors import InvalidInput
from services.directory.imports.limits import MB, Limits

CHUNK = MB
SAMPLE = 256 * 1024  # bytes of the lines that are not UTF-8 shown to charset-normalizer
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "cp936"})
# charset-normalizer's codec names -> the names people know them by.
_NAMES = {
    "big5": "Big5",
    "big5hkscs": "Big5-HKSCS",
    "cp950": "Big5",
    "cp932": "Shift_JIS",
    "shift_jis": "Shift_JIS",
    "shift_jis_2004": "Shift_JIS",
    "shift_jisx0213": "Shift_JIS",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JP",
    "euc_jisx0213": "EUC-JP",
    "iso2022_jp": "ISO-2022-JP",
    "euc_kr": "EUC-KR",
    "cp949": "EUC-KR",
    "johab": "Johab",
    "latin_1": "ISO-8859-1",
    "utf_16": "UTF-16",
    "utf_32": "UTF-32",
}


def encoding_name(codec: str) -> str:
    """A codec as people name it: cp1252 -> Windows-1252, big5 -> Big5."""
    if codec in _NAMES:
        return _NAMES[codec]
    if codec.startswith("cp125"):
        return "Windows-" + codec[2:]
    return codec.upper().replace("_", "-")


def detect_encoding(path: Path, limits: Limits) -> str:
    """UTF-8 (with or without BOM) or GB18030; binary, other and mixed encodings refused.

    A first megabyte with Chinese text that decodes as UTF-8 settles it: the file is read
    as strict UTF-8 and a later byte that is not refuses it as mixed. Otherwise the whole
    file is checked as UTF-8 and, failing that, read line by line: a line with Chinese
    text that decodes as UTF-8 is almost never GBK, so a file holding both kinds of lines
    was pasted together from two sources and is refused; the other lines must decode as
    GB18030 and look like it to charset-normalizer.
    """
    with path.open("rb") as f:
        head = f.read(CHUNK)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput("import.unsupported_encoding", encoding="UTF-16")
    if b"\0" in head:
        raise InvalidInput("import.binary")
    # A head shorter than a chunk is the whole file: it must end on a whole character.
    if not head.isascii() and _decodes(head, final=len(head) < CHUNK):
        return "utf-8-sig"
    if _all_utf8(path):
        return "utf-8-sig"
    first_utf8 = first_other = 0
    sample = bytearray()
    with path.open("rb") as f:
        lines = iter(lambda: f.readline(limits.line_bytes + 1), b"")
        for number, line in enumerate(lines, start=1):
            if len(line) > limits.line_bytes:
                raise InvalidInput("import.line_too_long", line=number, limit=limits.line_bytes)
            if line.isascii():
                continue
            if _decodes(line, final=True):
                first_utf8 = first_utf8 or number
            else:
                first_other = first_other or number
                if len(sample) < SAMPLE:
                    sample += line
                try:
                    line.decode("gb18030")
                except UnicodeDecodeError:
                    _refuse_other(bytes(sample))
                    raise InvalidInput("import.bad_encoding", line=number) from None
            if first_utf8 and first_other:
                raise InvalidInput("import.mixed_encoding", utf8=first_utf8, other=first_other)
    _refuse_other(bytes(sample))
    return "gb18030"


def _all_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                if b"\0" in chunk:
                    raise InvalidInput("import.binary")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _refuse_other(sample: bytes) -> None:
    """Refuse the file when its text is in an encoding other than GB18030 (or GBK)."""
    found = guess(sample)
    if found is not None and found not in GB_FAMILY:
        raise InvalidInput("import.unsupported_encoding", encoding=encoding_name(found))


def guess(sample: bytes) -> str | None:
    """charset-normalizer's encoding for non-UTF-8 text: a GB one if it is among those
    it finds plausible (short texts fit several), else its best; None when it finds none."""
    if not sample:
        return None
    from charset_normalizer import from_bytes  # only files that are not UTF-8 need it

    matches = from_bytes(sample)
    for match in matches:
        if match.encoding in GB_FAMILY:
            return match.encoding
    best = matches.best()
    return None if best is None else best.encoding


def _decodes(data: bytes, *, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True
