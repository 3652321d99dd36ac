"""The checking worker: `python -m services.directory.imports.worker CPU_SECONDS MEMORY_MB`.

It caps its own CPU time and address space before it imports or reads anything, then
reads a pickled `reading.Job` on stdin and writes its messages on stdout (see `parallel`).
Past its CPU time the kernel ends it (SIGXCPU); past its memory it exits with
`reading.MEMORY_EXIT`, which the importing process turns into a refusal.
"""

import os
import pickle
import resource
import sys

_MEMORY_EXIT = 3  # reading.MEMORY_EXIT, known here before anything is imported
_GRACE = 5  # CPU seconds between SIGXCPU and the kernel's SIGKILL


def _cap(cpu_seconds: int, memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + _GRACE))
    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def main() -> None:
    """Cap this process, then do the job it is sent."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the messages may reach the importing process
    _cap(int(sys.argv[1]), int(sys.argv[2]))
    # openpyxl imports numpy when it can, for nothing this worker needs; numpy's BLAS then
    # starts threads whose stacks count against the address space, and dies when it cannot.
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        from services.directory.imports.reading import work

        work(pickle.load(sys.stdin.buffer), out)
    except MemoryError:
        os._exit(_MEMORY_EXIT)  # no cleanup: it could need the memory there is not


if __name__ == "__main__":
    main()
