"""Tests for services.directory.creditcode against the public vectors in test-vectors.md."""

import pytest

from services.directory import creditcode
from services.directory.creditcode import InvalidCreditCode, ReasonKey

VALID = [
    "914403001922038216",
    "91440300192317458F",
    "91110108551385082Q",
    "91350100M000100Y43",
]

INVALID: list[tuple[str, ReasonKey]] = [
    ("91350100M000100Y4Z", "checksum"),
    ("914403001922038217", "checksum"),
    ("91440300I92317458F", "charset"),
    ("9144030019231745", "length"),
]

# Written out by hand (not derived from the module) so the test is independent.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.mark.parametrize("code", VALID)
def test_valid_vectors(code: str) -> None:
    assert creditcode.validate(code) == code
    assert creditcode.is_valid(code)
    assert creditcode.check_char(code[:17]) == code[17]
    assert creditcode.make_code(code[:17]) == code


@pytest.mark.parametrize(("code", "reason"), INVALID)
def test_invalid_vectors(code: str, reason: ReasonKey) -> None:
    with pytest.raises(InvalidCreditCode) as excinfo:
        creditcode.validate(code)
    assert excinfo.value.reason_key == reason
    assert excinfo.value.value == code
    assert not creditcode.is_valid(code)


def test_division_must_be_digits() -> None:
    # Positions 3-8 hold letters here; the check character is made correct on purpose.
    body = "9144A300192317458"
    code = body + creditcode.check_char(body)
    with pytest.raises(InvalidCreditCode) as excinfo:
        creditcode.validate(code)
    assert excinfo.value.reason_key == "division"


@pytest.mark.parametrize(
    "raw",
    [
        " 91440300192317458f ",
        "９１４４０３００１９２３１７４５８Ｆ",
        "\u3000９１４４０３００１９２３１７４５８ｆ\u3000",
        "\ufeff91440300192317458F\u200b",
    ],
)
def test_normalisation_vectors(raw: str) -> None:
    assert creditcode.normalize(raw) == "91440300192317458F"
    assert creditcode.validate(raw) == "91440300192317458F"
    assert creditcode.is_valid(raw)


def test_weighted_sum_of_standard_example_is_1640() -> None:
    body = "91350100M000100Y4Z"[:17]
    total = sum(CHARSET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    assert total == 1640
    assert total % 31 == 28
    assert CHARSET[31 - total % 31] == "3"
    assert creditcode.check_char(body) == "3"


def test_weights_follow_the_standard() -> None:
    assert list(creditcode.WEIGHTS) == WEIGHTS
    assert [3 ** (i - 1) % 31 for i in range(1, 18)] == WEIGHTS


def test_remainder_zero_maps_to_check_char_zero() -> None:
    # Find a body whose weighted sum is a multiple of 31 by varying its last character.
    for c in CHARSET:
        body = "9144030019231745" + c
        total = sum(CHARSET.index(x) * w for x, w in zip(body, WEIGHTS, strict=True))
        if total % 31 == 0:
            assert creditcode.check_char(body) == "0"
            return
    pytest.fail("no body with remainder 0 found")


@pytest.mark.parametrize("body", ["9144030019231745", "914403001923174581", "91440300I92317458"])
def test_check_char_rejects_bad_bodies(body: str) -> None:
    with pytest.raises(ValueError):
        creditcode.check_char(body)


def test_make_code_rejects_bad_division() -> None:
    with pytest.raises(InvalidCreditCode):
        creditcode.make_code("9144A300192317458")


@pytest.mark.parametrize("raw", ["", "   ", "９１４４"])
def test_short_inputs_report_length(raw: str) -> None:
    with pytest.raises(InvalidCreditCode) as excinfo:
        creditcode.validate(raw)
    assert excinfo.value.reason_key == "length"
