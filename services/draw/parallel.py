"""Ranking a large population on two cores: part of each class here, the rest in a worker.

Ranking is one HMAC per eligible enterprise, in Python, holding the interpreter lock: a
thread would not help. From `PARALLEL_CODES` enterprises on, a worker process
(`python -m services.draw.worker`) ranks the tail of each class while this process ranks
the head; the lowest k of a class are the lowest k of both parts' lowest k (every rank is
distinct), so the result is the one `draw_engine.rank_here` gives.

The draw never depends on the worker: it answers with positions in the tail, not codes,
and each answer's rank is recomputed here; if it cannot start, fails, answers nonsense or
takes far longer than this process took for its part, this process ranks the tail too.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from itertools import islice

from services.draw.engine import RISK_CLASSES, Ranked, enterprise_rank, rank_here

log = logging.getLogger(__name__)

PARALLEL_CODES = 200_000
# The worker's share: it starts a Python interpreter first (some 60 ms), so a bit less.
WORKER_SHARE = 0.45
# How long the worker may take, beyond ten times what this process took for its part.
WORKER_GRACE = 5.0


def rank_in_two(
    codes_by_risk: Mapping[str, Sequence[str]], ks: Mapping[str, int], key: bytes
) -> dict[str, Ranked]:
    """`draw_engine.rank_here`, on two processes when the population is large."""
    return rank_split(codes_by_risk, ks, key, PARALLEL_CODES)


def rank_split(
    codes_by_risk: Mapping[str, Sequence[str]],
    ks: Mapping[str, int],
    key: bytes,
    from_size: int,
) -> dict[str, Ranked]:
    """Rank here alone below `from_size` codes in all; else share the work with a worker."""
    if sum(len(codes_by_risk[c]) for c in RISK_CLASSES) < from_size:
        return rank_here(codes_by_risk, ks, key)
    cut = {c: len(codes_by_risk[c]) - int(len(codes_by_risk[c]) * WORKER_SHARE) for c in ks}
    tails = {c: codes_by_risk[c][cut[c] :] for c in RISK_CLASSES}
    job = [(ks[c], "\n".join(tails[c]).encode()) for c in RISK_CLASSES]
    worker = _Worker(pickle.dumps((key, job), protocol=pickle.HIGHEST_PROTOCOL))
    started = time.perf_counter()
    here = rank_here({c: list(islice(codes_by_risk[c], cut[c])) for c in RISK_CLASSES}, ks, key)
    there = _checked(
        worker.answer(WORKER_GRACE + 10 * (time.perf_counter() - started)), tails, ks, key
    )
    if there is None:
        there = rank_here(tails, ks, key)
    return {c: sorted(here[c] + there[c])[: ks[c]] for c in RISK_CLASSES}


class _Worker(threading.Thread):
    """The worker process, fed and read by this thread (blocking pipes, GIL released)."""

    def __init__(self, job: bytes) -> None:
        super().__init__(name="draw-worker", daemon=True)
        self.job = job
        self.out: bytes | None = None
        self.process: subprocess.Popen[bytes] | None = None
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "services.draw.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
            )
        except OSError as exc:
            log.warning("draw worker not started, ranking in one process: %s", exc)
            return
        self.start()

    def run(self) -> None:
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        # One big write and one read to the end: each a blocking call that releases the
        # GIL (communicate() would loop in Python over 512-byte pieces, taking it back).
        try:
            with process.stdin:
                process.stdin.write(self.job)
            with process.stdout:
                out = process.stdout.read()
        except OSError:  # it died before reading everything
            out = b""
        if process.wait() == 0:
            self.out = out
        else:
            log.warning("draw worker failed (exit status %s), ranking here", process.returncode)

    def answer(self, timeout: float) -> bytes | None:
        """What the worker wrote, or None when it failed or took longer than `timeout` s."""
        if self.process is None:
            return None
        self.join(timeout)
        if self.is_alive():
            log.warning("draw worker still busy after %.1f s, ranking here", timeout)
            self.process.kill()
            self.join()
            return None
        return self.out


def _checked(
    out: bytes | None, tails: Mapping[str, Sequence[str]], ks: Mapping[str, int], key: bytes
) -> dict[str, Ranked] | None:
    """The worker's answer, as (rank, code) per class, if every entry holds; else None."""
    if out is None:
        return None
    try:
        answer = pickle.loads(out)
        ranked: dict[str, Ranked] = {}
        for c, pairs in zip(RISK_CLASSES, answer, strict=True):
            tail = tails[c]
            ranked[c] = [(rank, tail[i]) for rank, i in pairs]
            positions = {i for _, i in pairs}
            if len(positions) != len(pairs) or len(pairs) != min(ks[c], len(tail)):
                raise ValueError(f"class {c}: {len(pairs)} answers")
            if any(i < 0 or rank != enterprise_rank(key, tail[i]) for rank, i in pairs):
                raise ValueError(f"class {c}: a rank does not hold")
        return ranked
    except Exception as exc:  # whatever it wrote, the draw goes on without it
        log.warning("draw worker answered nonsense (%s), ranking here", exc)
        return None
