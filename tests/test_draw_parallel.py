"""Ranking on two processes gives exactly what ranking in one does."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from services.draw import parallel as draw_parallel
from services.draw.engine import rank_here
from services.draw.parallel import rank_split

KEY = bytes(range(32))


def _population() -> tuple[dict[str, list[str]], dict[str, int]]:
    rng = random.Random(7)
    codes = [f"91630202{n:09d}X" for n in range(3_001)]
    rng.shuffle(codes)
    by_risk = {"A": codes[:2_000], "B": codes[2_000:3_000], "C": codes[3_000:], "D": []}
    # k below, at and above what one half holds; a class of one; an empty class.
    return by_risk, {"A": 7, "B": 900, "C": 1, "D": 0}


def test_a_worker_process_ranks_the_same_as_this_one(caplog: pytest.LogCaptureFixture) -> None:
    codes, ks = _population()
    assert rank_split(codes, ks, KEY, from_size=0) == rank_here(codes, ks, KEY)
    assert not caplog.records  # the worker did its part: no fallback


@pytest.mark.parametrize(
    ("python", "logged"),
    [("/bin/false", "draw worker failed"), ("/nonexistent/python", "draw worker not started")],
)
def test_a_worker_that_fails_or_cannot_start_is_replaced_by_this_process(
    python: str, logged: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    codes, ks = _population()
    monkeypatch.setattr(sys, "executable", python)
    assert rank_split(codes, ks, KEY, from_size=0) == rank_here(codes, ks, KEY)
    assert logged in caplog.text


def _fake_worker(folder: Path, body: str) -> str:
    """An executable standing in for the interpreter: it ignores the arguments."""
    script = folder / "fake-python"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.parametrize(
    "answer",
    [
        "b'not a pickle'",  # garbage
        "[[(bytes(32), 0)]] * 4",  # well formed, but ranks that do not hold
        "[[], [], [], []]",  # too few
    ],
)
def test_a_worker_answering_nonsense_is_not_believed(
    answer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    codes, ks = _population()
    program = (
        f"import pickle, sys; sys.stdin.buffer.read(); pickle.dump({answer}, sys.stdout.buffer)"
    )
    body = f'exec "{sys.executable}" -c "{program}"'
    monkeypatch.setattr(sys, "executable", _fake_worker(tmp_path, body))
    assert rank_split(codes, ks, KEY, from_size=0) == rank_here(codes, ks, KEY)
    assert "draw worker answered nonsense" in caplog.text


def test_a_worker_that_hangs_is_stopped_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    codes, ks = _population()
    monkeypatch.setattr(sys, "executable", _fake_worker(tmp_path, "exec sleep 60"))
    monkeypatch.setattr(draw_parallel, "WORKER_GRACE", 0.3)
    assert rank_split(codes, ks, KEY, from_size=0) == rank_here(codes, ks, KEY)
    assert "draw worker still busy" in caplog.text
