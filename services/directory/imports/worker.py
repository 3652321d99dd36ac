"""The worker process of a parallel import: `python -m services.directory.imports.worker`.

Reads a pickled `parallel.Job` on stdin and writes the outcomes on stdout (see parallel).
"""

import pickle
import sys

from services.directory.imports.parallel import work

if __name__ == "__main__":
    work(pickle.load(sys.stdin.buffer), sys.stdout.buffer)
