"""Ranking a large population on two cores: part of each class here, the rest in a worker.

Ranking is one HMAC per eligible enterprise, in Python, holding the interpreter lock: a
thread would not help. From `PARALLEL_CODES` enterprises on, a worker process
(`python -m services.draw_worker`) ranks the tail of each class while this process ranks
the head; the lowest k of a class are the lowest k of both halves' lowest k (every rank
is distinct), so the result is the one `draw_engine.rank_here` gives. If the worker
cannot start or fails, this process ranks its part too: the draw never depends on it.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from itertools import islice
from typing import IO

from services.draw_engine import RISK_CLASSES, Ranked, rank_here

log = logging.getLogger(__name__)

PARALLEL_CODES = 200_000
# The worker's share: it starts a Python interpreter first (some 60 ms), so a bit less.
WORKER_SHARE = 0.45


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
    tails = [(ks[c], "\n".join(islice(codes_by_risk[c], cut[c], None))) for c in RISK_CLASSES]
    job = pickle.dumps((key, [(k, text.encode()) for k, text in tails]))
    worker = _start()
    writer = None
    if worker is not None:
        writer = threading.Thread(target=_write, args=(worker.stdin, job), daemon=True)
        writer.start()
    heads = {c: list(islice(codes_by_risk[c], cut[c])) for c in RISK_CLASSES}
    here = rank_here(heads, ks, key)
    there = _result(worker, writer)
    if there is None:  # no worker, or it failed: rank the tails here as well
        tail_codes = {c: list(islice(codes_by_risk[c], cut[c], None)) for c in RISK_CLASSES}
        there = rank_here(tail_codes, ks, key)
    return {c: sorted(here[c] + there[c])[: ks[c]] for c in RISK_CLASSES}


def _start() -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "services.draw_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
    except OSError as exc:
        log.warning("draw worker not started, ranking in one process: %s", exc)
        return None


def _write(pipe: IO[bytes] | None, data: bytes) -> None:
    # In a thread: the pipe holds 64 KiB, so the worker reads while this process ranks.
    assert pipe is not None
    try:
        with pipe:
            pipe.write(data)
    except OSError:
        pass  # the worker died; _result sees it


def _result(
    worker: subprocess.Popen[bytes] | None, writer: threading.Thread | None
) -> dict[str, Ranked] | None:
    if worker is None or writer is None:
        return None
    writer.join()
    assert worker.stdout is not None
    with worker.stdout:
        out = worker.stdout.read()
    if worker.wait() != 0:
        log.warning("draw worker failed (exit status %s), ranking here", worker.returncode)
        return None
    ranked: list[list[tuple[bytes, bytes]]] = pickle.loads(out)
    return {
        c: [(rank, code.decode()) for rank, code in lowest]
        for c, lowest in zip(RISK_CLASSES, ranked, strict=True)
    }
