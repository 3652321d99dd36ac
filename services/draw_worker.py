"""The worker process of a parallel ranking: `python -m services.draw_worker`.

Reads a pickled (key, [(k, codes joined by newlines), ...]) on stdin and writes the
pickled lowest k (rank, code) of each class on stdout (see services/draw_parallel.py).
"""

import pickle
import sys

from services.draw_engine import lowest_enterprises


def main() -> None:
    """Rank each class of the job read from stdin."""
    key, jobs = pickle.load(sys.stdin.buffer)
    result = [lowest_enterprises(key, text.split(b"\n") if text else [], k) for k, text in jobs]
    pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
