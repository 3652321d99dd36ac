"""Benchmark: how soon `jointcheck` answers, against bare Python starts.

Ours: `jointcheck --help` (start to exit) and `jointcheck console` answering `/help` on
stdin (start to the first reply line on stdout), on a SQLite database migrated and holding
the console's user before any timing, so that the console meets a current schema.
Floors, in the same run: `python -c pass` and `python -c "import sqlalchemy"` with the
same interpreter. Each of the four runs --rounds times (default 15), alternating, each in a
fresh process; the medians are compared. Targets: `--help` under 10x the bare start, the
console's first reply under 0.6 s.

Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX, warmed by one untimed run of
each), as in an installed copy, even where the environment sets PYTHONDONTWRITEBYTECODE.
Next to each wall-clock figure, the CPU seconds the process used by then (for the console,
read from /proc at its first reply): on a machine others keep busy, the wall clock grows
with the queue for the cores, the CPU seconds much less. The load average is printed too.

    python bench/startup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "bench"
HELP_TARGET = 10.0  # x the bare start
CONSOLE_TARGET = 0.6  # seconds to the first reply


def _jointcheck() -> list[str]:
    """The installed `jointcheck` script next to this interpreter, else `python -m bot`."""
    script = Path(sys.executable).parent / "jointcheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        DATA_DIR=str(tmp / "data"),
        PYTHONPYCACHEPREFIX=str(tmp / "pycache"),
        LOG_LEVEL="WARNING",
    )
    return env


def _setup(env: dict[str, str]) -> None:
    """Migrate the database and add the console's user (one command does both)."""
    subprocess.run(
        [*_jointcheck(), "user", "add", "--login", LOGIN, "--name", "基准", "--role", "leader"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _to_exit(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from start to exit, output read; and the CPU seconds the process used."""
    cpu = _children_cpu()
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t0, _children_cpu() - cpu


def _cpu_so_far(pid: int) -> float:
    """CPU seconds a running process has used (user + system, every thread): /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _first_reply(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from start to the first line of the console's answer to /help, and the CPU
    seconds the console had used by then."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*_jointcheck(), "console", "--as", LOGIN],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("/help\n")
    proc.stdin.close()
    seconds, cpu = None, float("nan")
    for line in proc.stdout:
        # A scripted console echoes each line it reads ("> /help"); the reply follows.
        if not line.startswith(">") and line.strip():
            seconds = time.perf_counter() - t0
            cpu = _cpu_so_far(proc.pid)
            break
    proc.stdout.read()
    if proc.wait() != 0 or seconds is None:
        raise SystemExit("the console gave no reply to /help")
    return seconds, cpu


def main() -> None:
    """Set up, time the four starts in alternating rounds, print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--rounds", type=int, default=15, help="alternating runs of each; medians compared"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(Path(tmp))
        _setup(env)
        runs: dict[str, Callable[[], tuple[float, float]]] = {
            "python -c pass": lambda: _to_exit([sys.executable, "-c", "pass"], env),
            "python -c 'import sqlalchemy'": lambda: _to_exit(
                [sys.executable, "-c", "import sqlalchemy"], env
            ),
            "jointcheck --help": lambda: _to_exit([*_jointcheck(), "--help"], env),
            "jointcheck console, first reply to /help": lambda: _first_reply(env),
        }
        for run in runs.values():
            run()  # untimed: writes the bytecode caches
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        # Alternating, each in a fresh process: a passing disturbance of the machine hits
        # every side, and the medians shrug it off.
        for n in range(1, args.rounds + 1):
            for name, run in runs.items():
                seconds, cpu = run()
                times[name].append(seconds)
                cpus[name].append(cpu)
            print(f"round {n}: " + ", ".join(f"{times[k][-1]:.3f}" for k in runs))
    median = {name: statistics.median(values) for name, values in times.items()}
    cpu_median = {name: statistics.median(values) for name, values in cpus.items()}
    bare, sqla, helped, console = median.values()
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, seconds in median.items():
        print(
            f"{name}: {seconds:.3f} s median ({seconds / bare:.1f}x the bare start), "
            f"CPU {cpu_median[name]:.3f} s "
            f"({cpu_median[name] / cpu_median['python -c pass']:.1f}x)"
        )
    ratio = helped / bare
    print(
        f"ratio --help / bare start: {ratio:.1f}x (target < {HELP_TARGET:.0f}x) "
        f"{'MEETS' if ratio < HELP_TARGET else 'MISSES'} target"
    )
    print(
        f"console first reply: {console:.3f} s, {console / bare:.1f}x the bare start, "
        f"{console / sqla:.2f}x `import sqlalchemy` (target < {CONSOLE_TARGET} s) "
        f"{'MEETS' if console < CONSOLE_TARGET else 'MISSES'} target"
    )


if __name__ == "__main__":
    main()
