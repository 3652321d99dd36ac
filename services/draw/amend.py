"""Amendments of a final draw, the pure rules (docs/draw-algorithm.md, section 5).

After the draw a team changes in three ways, each an entry of the record's ordered
`amendments`: an assignment cancelled, a member substituted, and a supplementary draw
filling the short teams from a newly frozen pool. `Roster` is the state the entries are
applied to, in order. The services compute an amendment by applying it to the roster of
the draw as it stands; services/draw/verify.py replays the record's entries the same way,
and tools/verify_draw.py does it again with the standard library alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from services.draw.engine import DrawParams, InspectorIn, TeamOut, inspector_rank


class AmendError(ValueError):
    """An amendment that cannot apply; `reason` names why for the people-facing refusal."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Filled:
    """One short team after a supplementary draw (`added` empty: still no team)."""

    code: str
    added: tuple[str, ...]
    team: tuple[str, ...]
    lead: str | None
    shortfalls: tuple[str, ...]


@dataclass
class Roster:
    """The teams of a draw as its amendments so far left them, and what the next one uses."""

    params: DrawParams
    departments: dict[str, tuple[str, ...]]  # drawn code -> its departments, sorted
    order: list[str]  # drawn codes, ascending rank
    teams: dict[str, list[str]]
    shortfalls: dict[str, tuple[str, ...]]
    known: dict[str, InspectorIn]  # cert -> as the latest pool listing it gives
    pool: list[InspectorIn]  # the pool in force: the draw's, or the last supplement's
    key: bytes  # the key in force, with the pool
    recused: set[tuple[str, str]]
    cancelled: set[str] = field(default_factory=set)

    @classmethod
    def after_draw(
        cls,
        params: DrawParams,
        departments: Mapping[str, Iterable[str]],
        result: Iterable[TeamOut],
        inspectors: Iterable[InspectorIn],
        recusals: Iterable[tuple[str, str]],
        key: bytes,
    ) -> Roster:
        """The roster right after the draw, before any amendment."""
        rows = list(result)
        pool = sorted(inspectors, key=lambda i: i.cert)
        return cls(
            params,
            {t.code: tuple(sorted(set(departments[t.code]))) for t in rows},
            [t.code for t in rows],
            {t.code: list(t.team) for t in rows},
            {t.code: tuple(t.shortfalls) for t in rows},
            {i.cert: i for i in pool},
            pool,
            key,
            set(recusals),
        )

    def lead(self, code: str) -> str | None:
        """The team's lead: its first member (officers come first), None without a team."""
        team = self.teams[code]
        return team[0] if team else None

    def loads(self) -> Counter[str]:
        """Teams per inspector, cancelled assignments left out."""
        return Counter(
            c for code, team in self.teams.items() if code not in self.cancelled for c in team
        )

    def _live(self, code: str) -> list[str]:
        if code not in self.teams:
            raise AmendError("not_drawn", f"{code} was not drawn")
        if code in self.cancelled:
            raise AmendError("cancelled", f"{code} is cancelled")
        return self.teams[code]

    def cancel(self, code: str) -> None:
        """Cancel the assignment of a drawn enterprise; its members' loads drop."""
        self._live(code)
        self.cancelled.add(code)

    def substitute(
        self,
        code: str,
        removed: str,
        unavailable: Iterable[str],
        recusals: Iterable[tuple[str, str]] = (),
    ) -> tuple[str, bytes]:
        """Replace `removed` in the team of `code`; (the substitute, its rank).

        Candidates: the pool in force, less the unavailable, the team, the recused and
        those at the load cap, of the removed member's kind and (officers) department.
        The lowest rank under the key in force wins (certificate breaks a tie).
        """
        team = self._live(code)
        if removed not in team:
            raise AmendError("not_member", f"{removed} is not in the team of {code}")
        recused = self.recused | set(recusals)
        out, loads, who = set(unavailable), self.loads(), self.known[removed]
        candidates = [
            (inspector_rank(self.key, code, i.cert), i.cert)
            for i in self.pool
            if i.cert not in out
            and i.cert not in team
            and (i.cert, code) not in recused
            and loads[i.cert] < self.params.load_cap
            and i.expert == who.expert
            and (i.expert or i.department == who.department)
        ]
        if not candidates:
            raise AmendError("no_candidate", f"nobody can replace {removed} for {code}")
        rank, added = min(candidates)
        team[team.index(removed)] = added
        self.recused = recused
        return added, rank

    def supplement(
        self,
        inspectors: Iterable[InspectorIn],
        recusals: Iterable[tuple[str, str]],
        key: bytes,
        codes: Iterable[str],
    ) -> list[Filled]:
        """A supplementary draw: the new pool and key come into force, then each short
        team listed (ascending rank) is filled by the draw's team-forming passes."""
        self.pool = sorted(inspectors, key=lambda i: i.cert)
        self.key = key
        self.known.update((i.cert, i) for i in self.pool)
        self.recused |= set(recusals)
        loads = self.loads()
        out: list[Filled] = []
        last = -1
        for code in codes:
            team = self._live(code)
            if not self.shortfalls[code]:
                raise AmendError("not_short", f"{code} is not short")
            position = self.order.index(code)
            if position <= last:
                raise AmendError("order", f"{code} is out of rank order")
            last = position
            filled = self._fill(code, team, loads)
            self.teams[code], self.shortfalls[code] = list(filled.team), filled.shortfalls
            out.append(filled)
        return out

    def _fill(self, code: str, team: list[str], loads: Counter[str]) -> Filled:
        depts, p = self.departments[code], self.params
        officers = [c for c in team if not self.known[c].expert]
        experts = [c for c in team if self.known[c].expert]
        candidates = sorted(
            (inspector_rank(self.key, code, i.cert), i.cert, i)
            for i in self.pool
            if loads[i.cert] < p.load_cap
            and (i.cert, code) not in self.recused
            and i.cert not in team
            and (i.expert or i.department in depts)
        )
        covered = {self.known[c].department for c in officers}
        new: list[str] = []
        for _, cert, i in candidates:  # pass 1: a department still uncovered
            if not i.expert and i.department not in covered:
                new.append(cert)
                covered.add(i.department)
        target = max(p.team_size, len(officers) + len(new))
        for _, cert, i in candidates:  # pass 2: officers up to the team size
            if len(officers) + len(new) >= target:
                break
            if not i.expert and cert not in new:
                new.append(cert)
        wanted = max(0, p.experts_per_team - len(experts))
        new_experts = [cert for _, cert, i in candidates if i.expert][:wanted]  # pass 3
        n_officers, n_experts = len(officers) + len(new), len(experts) + len(new_experts)
        short = [f"department:{d}" for d in depts if d not in covered]
        if n_officers < p.team_size:
            short.append(f"officers:{n_officers}")
        if n_experts < p.experts_per_team:
            short.append(f"experts:{n_experts}")
        if n_officers < 2:  # still no check possible: nobody is placed
            return Filled(code, (), tuple(team), team[0] if team else None, tuple(sorted(short)))
        added = (*new, *new_experts)
        for cert in added:
            loads[cert] += 1
        after = (*officers, *new, *experts, *new_experts)
        return Filled(code, added, after, after[0], tuple(sorted(short)))
