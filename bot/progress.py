"""Progress of long command-line work: a bar on a terminal, plain lines otherwise.

Usage (a runner of `bot/`; services take the bound `update` as a plain callback)::

    with progress(total=len(rows), desc="导入 / import", unit="rows") as bar:
        for chunk in chunks:
            ...
            bar.update(len(chunk))

On a terminal the bar is tqdm's. When the stream is not a terminal (a pipe, a log file,
cron) a line such as ``导入 / import: 1200/5000 rows, 800 rows/s`` is written at most every
`every` seconds, plus one final line, so that logs stay short and still show the work
moving (`describe` words the line otherwise). Everything goes to `stream` (stderr by
default): stdout keeps the ids and paths a command prints on its last line; `echo` prints
a line there without breaking the bar.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

# A callback a service accepts to report work done: called with the count just finished.
Advance = Callable[[int], None]
# Words a plain progress line, given the running count.
Describe = Callable[["Progress"], str]


class Progress:
    """A running count of finished work, shown as a bar or as periodic lines."""

    def __init__(
        self,
        total: int | None,
        desc: str,
        *,
        stream: TextIO,
        unit: str,
        every: float,
        tty: bool,
        describe: Describe | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.done = 0
        self.desc = desc
        self.unit = unit
        self._stream = stream
        self._every = every
        self._describe = describe
        self._clock = clock
        self._start = self._last = clock()
        self._printed_at: int | None = None
        self._bar: tqdm[Any] | None = None
        if tty:
            # Imported here: a command that shows no progress never pays for tqdm.
            from tqdm import tqdm

            cols, rows = _size(stream)
            self._bar = tqdm(
                total=total,
                desc=desc,
                unit=f" {unit}",
                file=stream,
                leave=True,
                ncols=cols,
                nrows=rows,
            )

    def update(self, n: int = 1) -> None:
        """Count `n` more units of work as done."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = self._clock()
        if now - self._last >= self._every:
            self._last = now
            self._line()

    def set_total(self, total: int | None) -> None:
        """Set (or re-estimate) the total once it is known; shown from the next update."""
        self.total = total
        if self._bar is not None:
            self._bar.total = total

    @property
    def elapsed(self) -> float:
        """Seconds since the work started."""
        return self._clock() - self._start

    @property
    def rate(self) -> float:
        """Units done per second so far."""
        return self.done / max(self.elapsed, 1e-6)

    def echo(self, line: str, file: TextIO | None = None) -> None:
        """Print `line` (to stdout by default) above the bar, which stays whole."""
        out = file if file is not None else sys.stdout
        if self._bar is not None:
            self._bar.write(line, file=out)
        else:
            out.write(line + "\n")
            out.flush()

    def close(self) -> None:
        """Finish the bar, or write the final line if the last one is out of date."""
        if self._bar is not None:
            self._bar.close()
        elif self._printed_at != self.done:
            self._line()

    def _line(self) -> None:
        if self._describe is not None:
            text = self._describe(self)
        else:
            of = f"/{self.total}" if self.total is not None else ""
            # Rows go by the thousand a second; a draw's two steps take seconds each.
            pace = f"{self.rate:.0f} {self.unit}/s" if self.rate >= 1 else f"{self.elapsed:.0f} s"
            text = f"{self.desc}: {self.done}{of} {self.unit}, {pace}"
        self._stream.write(text + "\n")
        self._stream.flush()
        self._printed_at = self.done


def _size(stream: TextIO) -> tuple[int | None, int | None]:
    """None for tqdm to ask the terminal; 80x24 where it tells 0x0 (tqdm would draw nothing)."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return None, None
    return (None, None) if size.columns and size.lines else (80, 24)


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):  # a closed or detached stream
        return False


@contextmanager
def progress(
    total: int | None,
    desc: str,
    *,
    unit: str = "rows",
    stream: TextIO | None = None,
    every: float = 2.0,
    tty: bool | None = None,
    describe: Describe | None = None,
) -> Iterator[Progress]:
    """Show the progress of long work on `stream` (stderr) while the block runs.

    `total` may be None (unknown: the count alone is shown) and set later with
    `set_total`; `tty` forces the bar (True) or the plain lines (False), else the
    stream decides; `describe` words the plain lines.
    """
    out = stream if stream is not None else sys.stderr
    bar = Progress(
        total,
        desc,
        stream=out,
        unit=unit,
        every=every,
        tty=_is_tty(out) if tty is None else tty,
        describe=describe,
    )
    try:
        yield bar
    finally:
        bar.close()
