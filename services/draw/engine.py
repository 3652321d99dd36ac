"""The JointCheck draw, algorithm version 1 (normative text: docs/draw-algorithm.md).

Pure domain code: no database, no I/O. `run_draw` takes plain rows; callers holding a very
large population can use the two halves directly: `draw_enterprises` takes bare code lists
per risk class, and `draw_teams` needs the departments of the drawn enterprises only.
services/draw/verify.py builds and recomputes the published record; tools/verify_draw.py
does the same independently with the standard library alone.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain

from services.draw.mac import PreparedMac

ALGORITHM = 1
RECORD_FORMAT = "jointcheck-draw-record"  # records of formats 1 and 2 say this
INPUT_HASH_FORMAT = 3  # records with the input hash published at the freeze say this
RISK_CLASSES = ("A", "B", "C", "D")

# Only plain decimals: Fraction alone would also accept "1/3", "1e-2", " 0.5" or "+1".
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass(frozen=True, slots=True)
class EnterpriseIn:
    code: str
    risk: str
    departments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InspectorIn:
    cert: str
    department: str
    expert: bool


def parse_ratio(text: str) -> Fraction:
    """Parse a ratio given as a plain decimal string into an exact fraction in [0, 1]."""
    if not isinstance(text, str) or not _DECIMAL.fullmatch(text):
        raise ValueError(f"ratio {text!r} is not a decimal string such as '0.08'")
    value = Fraction(text)
    if value > 1:
        raise ValueError(f"ratio {text!r} is above 1")
    return value


def _check_int(name: str, value: object, minimum: int) -> None:
    # bool is an int subclass; True must not pass for a count.
    if type(value) is not int:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")


@dataclass(frozen=True)
class DrawParams:
    ratios: Mapping[str, str]
    min_count: int = 0
    max_count: int | None = None
    team_size: int = 2
    experts_per_team: int = 0
    load_cap: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.ratios, Mapping) or set(self.ratios) != set(RISK_CLASSES):
            raise ValueError("ratios must give exactly the risk classes A, B, C and D")
        # A private copy, so that later edits of the caller's dict cannot change the draw.
        object.__setattr__(self, "ratios", {c: self.ratios[c] for c in RISK_CLASSES})
        for risk in RISK_CLASSES:
            parse_ratio(self.ratios[risk])
        _check_int("min_count", self.min_count, 0)
        if self.max_count is not None:
            _check_int("max_count", self.max_count, 0)
            if self.min_count > self.max_count:
                raise ValueError("min_count must not exceed max_count")
        _check_int("team_size", self.team_size, 2)
        _check_int("experts_per_team", self.experts_per_team, 0)
        _check_int("load_cap", self.load_cap, 1)


@dataclass(frozen=True, slots=True)
class TeamOut:
    code: str
    rank: bytes
    team: tuple[str, ...]
    lead: str | None
    shortfalls: tuple[str, ...]


@dataclass(frozen=True)
class Selection:
    strata: dict[str, tuple[int, int]]  # risk class -> (population, k)
    drawn: tuple[tuple[bytes, str], ...]  # (rank, code), ascending rank


@dataclass(frozen=True)
class DrawOutcome:
    strata: dict[str, tuple[int, int]]  # risk class -> (population, k)
    result: tuple[TeamOut, ...]  # ascending rank


def snapshot_hash(keys: Iterable[str]) -> str:
    """SHA-256 hex of the sorted keys joined by newlines (UTF-8)."""
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()


def commitment(seed: bytes) -> str:
    """SHA-256 hex of the seed, published before the draw."""
    return hashlib.sha256(seed).hexdigest()


def draw_key(seed: bytes, salt: str) -> bytes:
    """The draw key K = HMAC-SHA256(seed, salt)."""
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise ValueError("seed must be 32 bytes")
    if not isinstance(salt, str):
        raise ValueError("salt must be a string")
    return hmac.digest(seed, salt.encode(), "sha256")


def enterprise_rank(key: bytes, code: str) -> bytes:
    """rank(e) = HMAC-SHA256(K, "enterprise:" + code); lower is drawn first."""
    return hmac.digest(key, ("enterprise:" + code).encode(), "sha256")


def inspector_rank(key: bytes, code: str, cert: str) -> bytes:
    """Rank of an inspector for one enterprise: HMAC-SHA256(K, "inspector:code:cert")."""
    return hmac.digest(key, f"inspector:{code}:{cert}".encode(), "sha256")


def compute_k(populations: Mapping[str, int], params: DrawParams) -> dict[str, int]:
    """The number drawn per risk class, exact, after the max_count and min_count bounds."""
    if not set(populations) <= set(RISK_CLASSES):
        raise ValueError(f"unknown risk class in {sorted(populations)}")
    n = {c: populations.get(c, 0) for c in RISK_CLASSES}
    k = {c: min(n[c], math.ceil(parse_ratio(params.ratios[c]) * n[c])) for c in RISK_CLASSES}
    total = sum(k.values())
    # A negative step (total already within bounds, or an empty class) means "leave as is".
    if params.max_count is not None and total > params.max_count:
        for c in RISK_CLASSES:
            cut = max(0, min(total - params.max_count, k[c] - 1))
            k[c], total = k[c] - cut, total - cut
        for c in RISK_CLASSES:
            cut = max(0, min(total - params.max_count, k[c]))
            k[c], total = k[c] - cut, total - cut
    if total < params.min_count:
        for c in reversed(RISK_CLASSES):
            add = max(0, min(params.min_count - total, n[c] - k[c]))
            k[c], total = k[c] + add, total + add
    return k


Ranked = list[tuple[bytes, str]]  # (rank, code), ascending
# Ranks the lowest k of each class: (codes by class, k by class, key) -> ranked by class.
Ranker = Callable[[Mapping[str, Sequence[str]], Mapping[str, int], bytes], dict[str, Ranked]]


def lowest_enterprises(key: bytes, codes: Iterable[bytes], k: int) -> list[tuple[bytes, bytes]]:
    """The k encoded codes of lowest enterprise rank, ascending, as (rank, code)."""
    return PreparedMac(key, b"enterprise:").lowest(codes, k)


def rank_here(
    codes_by_risk: Mapping[str, Sequence[str]], ks: Mapping[str, int], key: bytes
) -> dict[str, Ranked]:
    """The lowest k of each class, ranked in this process."""
    return {
        c: [
            (rank, code.decode())
            for rank, code in lowest_enterprises(key, map(str.encode, codes_by_risk[c]), ks[c])
        ]
        for c in RISK_CLASSES
    }


def draw_enterprises(
    codes_by_risk: Mapping[str, Sequence[str]],
    params: DrawParams,
    key: bytes,
    rank: Ranker = rank_here,
) -> Selection:
    """Draw the enterprises from bare code lists per risk class (codes unique overall).

    `rank` may spread the ranking over processes (services/draw/parallel.py); the result
    is the same.
    """
    codes = {c: codes_by_risk.get(c, ()) for c in RISK_CLASSES}
    populations = {c: len(codes[c]) for c in RISK_CLASSES}
    k = compute_k({c: len(v) for c, v in codes_by_risk.items()}, params)
    if len(set(chain.from_iterable(codes.values()))) != sum(populations.values()):
        raise ValueError("duplicated enterprise code")
    drawn = sorted(chain.from_iterable(rank(codes, k, key).values()))
    return Selection({c: (populations[c], k[c]) for c in RISK_CLASSES}, tuple(drawn))


def _compose(
    officers: list[tuple[bytes, str, str]],
    experts: list[tuple[bytes, str]],
    departments: Sequence[str],
    params: DrawParams,
) -> tuple[list[str], int, tuple[str, ...]]:
    """Passes 1-3 of the spec over rank-sorted candidates: (team, officer count, shortfalls)."""
    team: list[str] = []
    covered: set[str] = set()
    for _, cert, department in officers:
        if department not in covered:
            team.append(cert)
            covered.add(department)
    target = max(params.team_size, len(team))
    for _, cert, _ in officers:
        if len(team) >= target:
            break
        if cert not in team:
            team.append(cert)
    n_officers = len(team)
    team += [cert for _, cert in experts[: params.experts_per_team]]
    n_experts = len(team) - n_officers
    shortfalls = [f"department:{d}" for d in departments if d not in covered]
    if n_officers < params.team_size:
        shortfalls.append(f"officers:{n_officers}")
    if n_experts < params.experts_per_team:
        shortfalls.append(f"experts:{n_experts}")
    return team, n_officers, tuple(sorted(shortfalls))


def _allowed(pool: list[bytes], excluded: set[bytes]) -> list[bytes]:
    # Filtering costs a pass per pool, so only enterprises with recusals pay it.
    return [p for p in pool if p not in excluded] if excluded else pool


def draw_teams(
    drawn: Iterable[tuple[bytes, str]],
    departments: Mapping[str, Iterable[str]],
    inspectors: Iterable[InspectorIn],
    recusals: Iterable[tuple[str, str]],
    params: DrawParams,
    key: bytes,
) -> tuple[TeamOut, ...]:
    """Form a team for each drawn (rank, code), in ascending rank; departments per code."""
    rows = sorted(inspectors, key=lambda i: i.cert)
    if len({i.cert for i in rows}) != len(rows):
        raise ValueError("duplicated inspector certificate")
    # Pools of inspectors (encoded certificates) still below the load cap; their order is
    # irrelevant (ranked).
    pools: dict[str, list[bytes]] = {}
    experts: list[bytes] = []
    home: dict[str, list[bytes]] = {}
    for i in rows:
        pool = experts if i.expert else pools.setdefault(i.department, [])
        pool.append(i.cert.encode())
        home[i.cert] = pool
    recused: dict[str, set[bytes]] = {}
    for cert, code in recusals:
        recused.setdefault(code, set()).add(cert.encode())
    load = dict.fromkeys(home, 0)
    mac = PreparedMac(key, b"inspector:")
    out: list[TeamOut] = []
    for rank, code in sorted(drawn):
        if code not in departments:
            raise ValueError(f"no departments given for drawn enterprise {code}")
        depts = sorted(set(departments[code]))
        emac = mac.extended(code.encode() + b":")
        excluded = recused.get(code, set())
        # Pass 1 needs each department's best; pass 2 only adds officers while the team is
        # below team_size, and they are among the best team_size of the whole candidate list,
        # hence among the best team_size of their own department.
        officers = [
            (r, cert.decode(), d)
            for d in depts
            for r, cert in emac.lowest(_allowed(pools.get(d, []), excluded), params.team_size)
        ]
        officers.sort()
        ranked_experts = [
            (r, cert.decode())
            for r, cert in emac.lowest(_allowed(experts, excluded), params.experts_per_team)
        ]
        team, n_officers, shortfalls = _compose(officers, ranked_experts, depts, params)
        if n_officers < 2:
            out.append(TeamOut(code, rank, (), None, shortfalls))
            continue
        for cert in team:
            load[cert] += 1
            if load[cert] >= params.load_cap:
                home[cert].remove(cert.encode())
        out.append(TeamOut(code, rank, tuple(team), team[0], shortfalls))
    return tuple(out)


def run_draw(
    enterprises: Iterable[EnterpriseIn],
    inspectors: Iterable[InspectorIn],
    recusals: Iterable[tuple[str, str]],
    params: DrawParams,
    seed: bytes,
    salt: str,
) -> DrawOutcome:
    """Run the whole draw; the outcome does not depend on the order of the input rows."""
    key = draw_key(seed, salt)
    rows = enterprises if isinstance(enterprises, Sequence) else list(enterprises)
    codes_by_risk: dict[str, list[str]] = {c: [] for c in RISK_CLASSES}
    for e in rows:
        if e.risk not in codes_by_risk:
            raise ValueError(f"enterprise {e.code}: unknown risk class {e.risk!r}")
        codes_by_risk[e.risk].append(e.code)
    selection = draw_enterprises(codes_by_risk, params, key)
    wanted = {code for _, code in selection.drawn}
    departments = {e.code: e.departments for e in rows if e.code in wanted}
    teams = draw_teams(selection.drawn, departments, inspectors, recusals, params, key)
    return DrawOutcome(selection.strata, teams)
