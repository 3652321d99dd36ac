"""The worker process of a parallel ranking: `python -m services.draw.worker`.

Reads a pickled (key, [(k, codes joined by newlines), ...]) on stdin and writes, for each
class, its lowest k as (rank, position of the code in the class's list), pickled, on
stdout (see `parallel.py`).
"""

import pickle
import sys
from itertools import compress

from services.draw.engine import lowest_enterprises


def lowest_positions(key: bytes, text: bytes, k: int) -> list[tuple[bytes, int]]:
    """The k lowest (rank, position) of the newline-separated codes."""
    codes = text.split(b"\n") if text else []
    best = lowest_enterprises(key, codes, k)
    wanted = {code for _, code in best}
    where = {codes[i]: i for i in compress(range(len(codes)), map(wanted.__contains__, codes))}
    return [(rank, where[code]) for rank, code in best]


def main() -> None:
    """Rank each class of the job read from stdin."""
    key, jobs = pickle.load(sys.stdin.buffer)
    result = [lowest_positions(key, text, k) for k, text in jobs]
    pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
