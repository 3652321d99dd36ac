"""Unified social credit code (统一社会信用代码, GB 32100-2015): normalisation and validation.

An 18-character code over a 31-character set (no I, O, S, V, Z). Positions 3-8 are the
administrative division (digits); position 18 is a check character computed from
positions 1-17 with weights 3^(i-1) mod 31.
"""

import types
import unicodedata
from collections.abc import Mapping
from operator import mul
from typing import Final, Literal

CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_LENGTH: Final = 18
BODY_LENGTH: Final = 17
MODULUS: Final = 31

# Weights for positions 1-17 are 3^(i-1) mod 31, as defined by the standard.
WEIGHTS: Final[tuple[int, ...]] = tuple(pow(3, i, MODULUS) for i in range(BODY_LENGTH))

# Read-only view so that the lookup table cannot be mutated at run time.
_VALUES: Final[Mapping[str, int]] = types.MappingProxyType({c: i for i, c in enumerate(CHARSET)})
_DIVISION: Final = slice(2, 8)
_ASCII_DIGITS: Final = frozenset("0123456789")
_CHARSET_SET: Final = frozenset(CHARSET)
# Maps each character of the set to its value in one bytes.translate call.
_AS_VALUES: Final = bytes.maketrans(CHARSET.encode("ascii"), bytes(range(len(CHARSET))))

# Zero-width characters that survive NFKC and str.strip() but often ride along when a code
# is copied from a web page or a Word document.
_INVISIBLE: Final[dict[int, None]] = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

ReasonKey = Literal["length", "charset", "division", "checksum"]


class InvalidCreditCode(ValueError):
    """A credit code failed validation; `reason_key` is translated by the caller."""

    def __init__(self, reason_key: ReasonKey, value: str) -> None:
        super().__init__(f"invalid unified social credit code ({reason_key}): {value!r}")
        self.reason_key: ReasonKey = reason_key
        self.value = value


def normalize(raw: str) -> str:
    """Trim, convert full-width characters to half-width and upper-case a raw code."""
    # NFKC folds full-width ASCII (U+FF01-U+FF5E) to ASCII and the ideographic space U+3000
    # to an ordinary space, which strip() then removes.
    text = unicodedata.normalize("NFKC", raw).translate(_INVISIBLE)
    return text.strip().upper()


def _weighted_sum(body: str) -> int:
    """Return the weighted sum of the 17 body characters."""
    return sum(_VALUES[c] * w for c, w in zip(body, WEIGHTS, strict=True))


def check_char(first17: str) -> str:
    """Compute the check character for the first 17 characters of a normalised code."""
    if len(first17) != BODY_LENGTH:
        raise ValueError(f"expected {BODY_LENGTH} characters, got {len(first17)}")
    bad = [c for c in first17 if c not in _VALUES]
    if bad:
        raise ValueError(f"characters outside the code character set: {''.join(bad)!r}")
    value = MODULUS - _weighted_sum(first17) % MODULUS
    # A remainder of 0 would give 31, which the standard maps to 0.
    return CHARSET[value % MODULUS]


def validate(raw: str) -> str:
    """Return the normalised code or raise InvalidCreditCode with a reason key."""
    # Plain ASCII letters and digits need no Unicode normalisation: a fast path, because
    # imports validate a million codes.
    code = raw.upper() if raw.isascii() and raw.isalnum() else normalize(raw)
    if len(code) != CODE_LENGTH:
        raise InvalidCreditCode("length", code)
    body = code[:BODY_LENGTH]
    # Only the body is checked against the character set: a bad 18th character is reported
    # as a wrong check character (e.g. the standard's example ending in "Z"), which is what
    # the user needs to hear.
    if not _CHARSET_SET.issuperset(body):
        raise InvalidCreditCode("charset", code)
    if not _ASCII_DIGITS.issuperset(code[_DIVISION]):
        raise InvalidCreditCode("division", code)
    total = sum(map(mul, body.encode("ascii").translate(_AS_VALUES), WEIGHTS))
    if code[BODY_LENGTH] != CHARSET[-total % MODULUS]:
        raise InvalidCreditCode("checksum", code)
    return code


def is_valid(raw: str) -> bool:
    """Return True if `raw` normalises to a valid credit code."""
    try:
        validate(raw)
    except InvalidCreditCode:
        return False
    return True


def make_code(body17: str) -> str:
    """Append the check character to a 17-character body (for demo data)."""
    code = body17 + check_char(body17)
    # Guarantee the generated code passes validation (e.g. the division digits).
    return validate(code)
