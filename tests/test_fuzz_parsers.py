"""Property tests of the small parsers: any input gives a value or a domain refusal.

The profile ("ci" by default, "long" with HYPOTHESIS_PROFILE=long) is in
tests/hypothesis_profiles.py.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from services.common.dates import parse_date
from services.common.errors import DomainError, InvalidInput
from services.common.numbers import parse_int, read_int
from services.common.text import strip_unsafe
from services.directory.creditcode import InvalidCreditCode, make_code, validate
from services.draw.engine import parse_ratio
from services.draw.plans import parse_spec

# Text that looks like what clerks type, and anything else.
DIGITISH = st.text(alphabet="0123456789０１２²٣-./年月日 \t+e_", max_size=24)
ANY_TEXT = st.text(max_size=60)


@given(st.one_of(ANY_TEXT, DIGITISH, st.integers(), st.floats(allow_nan=True)))
def test_parse_date_gives_a_date_or_a_refusal(raw: object) -> None:
    try:
        value = parse_date(raw)  # type: ignore[arg-type]
    except InvalidInput:
        return
    assert isinstance(value, date)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_parse_date_reads_back_what_it_is_given(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day


@given(st.one_of(ANY_TEXT, st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", max_size=20)))
def test_credit_code_validation_gives_a_code_or_a_reason(raw: str) -> None:
    try:
        code = validate(raw)
    except InvalidCreditCode:
        return
    assert len(code) == 18 and validate(code) == code


CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@given(
    st.text(alphabet=CHARSET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=CHARSET, min_size=9, max_size=9),
)
def test_a_made_code_validates_and_one_changed_character_does_not(
    head: str, division: str, tail: str
) -> None:
    code = make_code(head + division + tail)
    assert validate(code) == code
    other = "1" if code[-1] != "1" else "2"
    try:
        validate(code[:-1] + other)
    except InvalidCreditCode:
        return
    raise AssertionError("a wrong check character was accepted")


@given(st.one_of(ANY_TEXT, DIGITISH, st.none(), st.integers()), st.integers(0, 10**6))
def test_read_int_accepts_exactly_ascii_digits_in_range(raw: object, high: int) -> None:
    value = read_int(raw, 0, high)
    if value is None:
        return
    assert isinstance(raw, str)
    text = raw.strip()
    assert text.isascii() and text.isdigit() and int(text) == value <= high


@given(st.integers(1, 10**17), st.integers(1, 10**17))
def test_parse_int_refuses_out_of_range_with_the_range(value: int, high: int) -> None:
    try:
        assert parse_int(str(value), 1, high) == value <= high
    except InvalidInput as refused:
        assert value > high and refused.params == {"low": 1, "high": high}


@given(ANY_TEXT)
def test_strip_unsafe_leaves_no_nul_or_surrogate_and_keeps_the_rest(raw: str) -> None:
    clean = strip_unsafe(raw)
    clean.encode("utf-8")  # encodable: no lone surrogate survives
    assert "\x00" not in clean
    assert clean == "".join(c for c in raw if c != "\x00" and not 0xD800 <= ord(c) <= 0xDFFF)


@given(st.one_of(DIGITISH, ANY_TEXT))
def test_a_ratio_the_plan_accepts_is_one_the_draw_reads(ratio: str) -> None:
    spec = {
        "name": "x",
        "items": ["LD-001"],
        "check_start": "2027-01-04",
        "check_end": "2027-01-29",
        "ratios": {"A": ratio},
    }
    try:
        accepted = parse_spec(spec)
    except DomainError:
        return
    assert 0 < parse_ratio(accepted.ratios["A"]) <= 1
