"""The draw engine against docs/draw-algorithm.md (algorithm version 1)."""

from __future__ import annotations

import copy
import hashlib
import hmac
import importlib.util
import json
import math
import random
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest

from services.draw.engine import (
    DrawOutcome,
    DrawParams,
    EnterpriseIn,
    InspectorIn,
    commitment,
    compute_k,
    draw_enterprises,
    draw_key,
    enterprise_rank,
    inspector_rank,
    run_draw,
    snapshot_hash,
)
from services.draw.verify import build_record, verify_record

SEED = bytes(range(32))
SALT = "20261201"
TOOL = Path(__file__).resolve().parents[1] / "tools" / "verify_draw.py"


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_draw_tool", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ratios(a: str = "0", b: str = "0", c: str = "0", d: str = "0") -> dict[str, str]:
    return {"A": a, "B": b, "C": c, "D": d}


# --- The worked example ----------------------------------------------------------------

E = "91440300MA5G0000"  # 16 characters; two more make an 18-character credit code
WORKED_ENTERPRISES = [
    EnterpriseIn(E + "11", "A", ("SCJG",)),
    EnterpriseIn(E + "22", "A", ("SCJG", "YJJ")),
    EnterpriseIn(E + "33", "A", ("WJW",)),
    EnterpriseIn(E + "44", "A", ("SCJG",)),
    EnterpriseIn(E + "55", "B", ("SCJG", "WJW")),
    EnterpriseIn(E + "66", "B", ("YJJ",)),
    EnterpriseIn(E + "77", "B", ("SCJG",)),
    EnterpriseIn(E + "88", "C", ("SCJG", "YJJ")),
    EnterpriseIn(E + "99", "C", ("WJW",)),
    EnterpriseIn("91440300MA5G00010X", "D", ("WJW", "SCJG")),
]
WORKED_INSPECTORS = [
    InspectorIn("44030001", "SCJG", False),
    InspectorIn("44030002", "SCJG", False),
    InspectorIn("44030003", "YJJ", False),
    InspectorIn("44030004", "YJJ", False),
    InspectorIn("44030005", "WJW", False),
    InspectorIn("44030006", "SCJG", True),  # the expert
]
WORKED_RECUSALS = [("44030002", E + "44")]
# k: A ceil(0.25*4)=1, B ceil(0.5*3)=2, C ceil(0.5*2)=1, D 1.
WORKED_PARAMS = DrawParams(
    ratios=ratios("0.25", "0.5", "0.5", "1"), team_size=2, experts_per_team=1, load_cap=2
)


def worked_record(
    enterprises: Sequence[EnterpriseIn] = WORKED_ENTERPRISES,
    inspectors: Sequence[InspectorIn] = WORKED_INSPECTORS,
    outcome: DrawOutcome | None = None,
) -> dict[str, object]:
    """The worked example's record, built from the rows given (in their order)."""
    if outcome is None:
        outcome = run_draw(enterprises, inspectors, WORKED_RECUSALS, WORKED_PARAMS, SEED, SALT)
    return build_record(
        draw_id=7,
        plan_id=3,
        plan_name="2026年12月食品经营者联合抽查",
        params=WORKED_PARAMS,
        check_start="2026-12-01",
        check_end="2026-12-31",
        enterprises=enterprises,
        inspectors=inspectors,
        recusals=WORKED_RECUSALS,
        seed=SEED,
        salt=SALT,
        outcome=outcome,
    )


def test_worked_example_selection_matches_independent_ranks() -> None:
    key = hmac.new(SEED, SALT.encode(), hashlib.sha256).digest()

    def rank(code: str) -> bytes:
        return hmac.new(key, f"enterprise:{code}".encode(), hashlib.sha256).digest()

    expected_order = [E + "99", E + "44", E + "77", E + "66", "91440300MA5G00010X"]
    # The literal expectation really is the k lowest of each class, in rank order.
    for risk, k in {"A": 1, "B": 2, "C": 1, "D": 1}.items():
        stratum = sorted((e.code for e in WORKED_ENTERPRISES if e.risk == risk), key=rank)
        assert sorted(stratum[:k]) == sorted(c for c in expected_order if c in stratum)
    assert expected_order == sorted(expected_order, key=rank)

    outcome = run_draw(
        WORKED_ENTERPRISES, WORKED_INSPECTORS, WORKED_RECUSALS, WORKED_PARAMS, SEED, SALT
    )
    assert outcome.strata == {"A": (4, 1), "B": (3, 2), "C": (2, 1), "D": (1, 1)}
    assert [t.code for t in outcome.result] == expected_order
    assert [t.rank for t in outcome.result] == [rank(c) for c in expected_order]


def test_worked_example_teams() -> None:
    # Derived by hand from the inspector ranks HMAC(K, "inspector:<code>:<cert>"):
    # ...99 (WJW): only officer 05 -> dropped although expert 06 was free.
    # ...44 (SCJG): 02 recused, only officer 01 -> dropped.
    # ...77 (SCJG): 01 < 02 by rank, expert 06; loads 01, 02, 06 = 1.
    # ...66 (YJJ): 03 < 04, expert 06 (now at its cap of 2).
    # ...10X (SCJG, WJW): coverage takes 01 (SCJG) then 05 (WJW); 06 is at cap.
    outcome = run_draw(
        WORKED_ENTERPRISES, WORKED_INSPECTORS, WORKED_RECUSALS, WORKED_PARAMS, SEED, SALT
    )
    teams = [(t.code, t.team, t.lead, t.shortfalls) for t in outcome.result]
    assert teams == [
        (E + "99", (), None, ("officers:1",)),
        (E + "44", (), None, ("officers:1",)),
        (E + "77", ("44030001", "44030002", "44030006"), "44030001", ()),
        (E + "66", ("44030003", "44030004", "44030006"), "44030003", ()),
        ("91440300MA5G00010X", ("44030001", "44030005"), "44030001", ("experts:0",)),
    ]


def test_worked_example_inspector_order_behind_the_teams() -> None:
    key = hmac.new(SEED, SALT.encode(), hashlib.sha256).digest()

    def order(code: str) -> list[str]:
        certs = [i.cert for i in WORKED_INSPECTORS]
        return sorted(
            certs, key=lambda c: hmac.digest(key, f"inspector:{code}:{c}".encode(), "sha256")
        )

    # The facts the hand derivation above relies on.
    assert order(E + "77") == [
        "44030004",
        "44030006",
        "44030003",
        "44030001",
        "44030002",
        "44030005",
    ]
    assert order(E + "66") == [
        "44030002",
        "44030006",
        "44030003",
        "44030004",
        "44030005",
        "44030001",
    ]
    assert order("91440300MA5G00010X")[:3] == ["44030001", "44030005", "44030004"]


def test_worked_example_record_verifies_with_both_verifiers() -> None:
    record = json.loads(json.dumps(worked_record()))
    assert verify_record(record) == []
    assert load_tool().verify(record) == []


def test_record_fields_are_canonical() -> None:
    record = worked_record()
    codes = sorted(e.code for e in WORKED_ENTERPRISES)
    assert [e["code"] for e in record["enterprises"]] == codes  # type: ignore[attr-defined]
    assert record["enterprises"][-1]["departments"] == ["SCJG", "WJW"]  # type: ignore[index]
    assert record["enterprise_snapshot"] == hashlib.sha256("\n".join(codes).encode()).hexdigest()
    assert record["commitment"] == hashlib.sha256(SEED).hexdigest()
    assert record["seed"] == SEED.hex()
    assert record["recusals"] == [["44030002", E + "44"]]


def test_shuffled_inputs_give_the_same_outcome_and_record() -> None:
    rnd = random.Random(5)
    enterprises = [
        EnterpriseIn(e.code, e.risk, tuple(reversed(e.departments))) for e in WORKED_ENTERPRISES
    ]
    inspectors = list(WORKED_INSPECTORS)
    rnd.shuffle(enterprises)
    rnd.shuffle(inspectors)
    outcome = run_draw(enterprises, inspectors, WORKED_RECUSALS, WORKED_PARAMS, SEED, SALT)
    expected = run_draw(
        WORKED_ENTERPRISES, WORKED_INSPECTORS, WORKED_RECUSALS, WORKED_PARAMS, SEED, SALT
    )
    assert outcome == expected
    shuffled = worked_record(enterprises, inspectors, outcome)
    assert json.dumps(shuffled) == json.dumps(worked_record())


# --- Hashes ------------------------------------------------------------------------------


def test_hash_helpers_follow_the_spec() -> None:
    assert snapshot_hash(["b", "a"]) == hashlib.sha256(b"a\nb").hexdigest()
    assert commitment(SEED) == hashlib.sha256(SEED).hexdigest()
    key = draw_key(SEED, "盐")
    assert key == hmac.new(SEED, "盐".encode(), hashlib.sha256).digest()
    assert inspector_rank(key, "X", "7") == hmac.digest(key, b"inspector:X:7", "sha256")


@pytest.mark.parametrize("code", ["", "9", "91440300MA5G00010X", "企业" * 3, "x" * 70, "y" * 200])
def test_fast_enterprise_ranks_equal_plain_hmac(code: str) -> None:
    key = draw_key(SEED, SALT)
    params = DrawParams(ratios=ratios("1"))
    selection = draw_enterprises({"A": [code]}, params, key)
    assert selection.drawn == ((enterprise_rank(key, code), code),)
    assert enterprise_rank(key, code) == hmac.digest(key, f"enterprise:{code}".encode(), "sha256")


def test_draw_enterprises_lists_all_strata_in_ascending_rank() -> None:
    key = draw_key(SEED, SALT)
    codes = {c: [f"{c}{n:02d}" for n in range(20)] for c in "ABCD"}
    params = DrawParams(ratios=ratios("0.1", "0.2", "0.3", "0.5"))
    selection = draw_enterprises(codes, params, key)
    expected = sorted(
        (enterprise_rank(key, code), code)
        for c, k in zip("ABCD", (2, 4, 6, 10), strict=True)
        for code in sorted(codes[c], key=lambda code: enterprise_rank(key, code))[:k]
    )
    assert list(selection.drawn) == expected
    assert selection.strata == {"A": (20, 2), "B": (20, 4), "C": (20, 6), "D": (20, 10)}


def test_seed_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        draw_key(bytes(31), "")


# --- k per stratum ------------------------------------------------------------------------


def test_k_is_exact_where_a_float_would_round_up() -> None:
    assert math.ceil(0.07 * 100) == 8  # the float trap this guards against
    assert compute_k({"A": 100}, DrawParams(ratios=ratios("0.07")))["A"] == 7


def test_k_rounds_up_and_never_exceeds_the_population() -> None:
    params = DrawParams(ratios=ratios("0.001", "1", "0", "0.5"))
    assert compute_k({"A": 1, "B": 3, "C": 9, "D": 5}, params) == {"A": 1, "B": 3, "C": 0, "D": 3}


def test_max_count_cuts_lowest_risk_first_keeping_one_per_class() -> None:
    params = DrawParams(ratios=ratios("0.1", "0.1", "0.1", "0.1"), max_count=25)
    k = compute_k({"A": 100, "B": 100, "C": 100, "D": 100}, params)
    assert k == {"A": 1, "B": 4, "C": 10, "D": 10}


def test_max_count_below_the_class_count_empties_lowest_risk_first() -> None:
    params = DrawParams(ratios=ratios("0.1", "0.1", "0.1", "0.1"), max_count=2)
    k = compute_k({"A": 100, "B": 100, "C": 100, "D": 100}, params)
    assert k == {"A": 0, "B": 0, "C": 1, "D": 1}


def test_max_count_never_raises_an_empty_class() -> None:
    params = DrawParams(ratios=ratios("0.5", "0.5", "0.5", "0.5"), max_count=3)
    k = compute_k({"A": 0, "B": 10, "C": 10, "D": 0}, params)
    assert k == {"A": 0, "B": 1, "C": 2, "D": 0}


def test_min_count_raises_highest_risk_first() -> None:
    params = DrawParams(ratios=ratios(), min_count=10)
    k = compute_k({"A": 100, "B": 100, "C": 5, "D": 3}, params)
    assert k == {"A": 0, "B": 2, "C": 5, "D": 3}


def test_min_count_larger_than_the_population_takes_everyone() -> None:
    params = DrawParams(ratios=ratios(), min_count=50)
    assert compute_k({"A": 2, "D": 1}, params) == {"A": 2, "B": 0, "C": 0, "D": 1}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"team_size": 1}, "team_size"),
        ({"load_cap": 0}, "load_cap"),
        ({"experts_per_team": -1}, "experts_per_team"),
        ({"min_count": True}, "min_count"),
        ({"min_count": 5, "max_count": 4}, "exceed"),
        ({"ratios": ratios("1.5")}, "above 1"),
        ({"ratios": ratios("1/3")}, "decimal"),
        ({"ratios": ratios("1e-2")}, "decimal"),
        ({"ratios": ratios(" 0.1")}, "decimal"),
        ({"ratios": {"A": "0.1", "B": "0", "C": "0"}}, "A, B, C and D"),
    ],
)
def test_invalid_params_are_rejected(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"ratios": ratios("0.1"), **changes}
    with pytest.raises(ValueError, match=message):
        DrawParams(**fields)  # type: ignore[arg-type]


def test_duplicated_codes_and_certificates_are_rejected() -> None:
    params = DrawParams(ratios=ratios("1"))
    twice = [EnterpriseIn("X", "A", ("D",)), EnterpriseIn("X", "B", ("D",))]
    with pytest.raises(ValueError, match="duplicated enterprise"):
        run_draw(twice, [], [], params, SEED, SALT)
    officers = [InspectorIn("1", "D", False), InspectorIn("1", "D", False)]
    with pytest.raises(ValueError, match="duplicated inspector"):
        run_draw(twice[:1], officers, [], params, SEED, SALT)


def test_unknown_risk_class_is_rejected() -> None:
    with pytest.raises(ValueError, match="risk class"):
        run_draw([EnterpriseIn("X", "E", ())], [], [], DrawParams(ratios("1")), SEED, SALT)


# --- Teams -----------------------------------------------------------------------------


def officers(department: str, count: int, start: int = 0) -> list[InspectorIn]:
    return [InspectorIn(f"{department}{n:03d}", department, False) for n in range(start, count)]


def one_team(
    departments: tuple[str, ...],
    inspectors: list[InspectorIn],
    seed: bytes = SEED,
    recusals: tuple[tuple[str, str], ...] = (),
    **params: int,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    outcome = run_draw(
        [EnterpriseIn("E1", "A", departments)],
        inspectors,
        recusals,
        DrawParams(ratios=ratios("1"), **params),
        seed,
        SALT,
    )
    (team,) = outcome.result
    return team.team, team.shortfalls


def seeds(count: int) -> list[bytes]:
    return [hashlib.sha256(f"seed {n}".encode()).digest() for n in range(count)]


def test_recused_inspector_is_never_drawn_for_that_enterprise() -> None:
    pool = officers("X", 3)
    for seed in seeds(20):
        team, shortfalls = one_team(("X",), pool, seed, recusals=(("X001", "E1"),))
        assert sorted(team) == ["X000", "X002"] and shortfalls == ()


def test_team_holds_the_lowest_ranked_officers_led_by_the_first() -> None:
    pool = officers("X", 6)
    team, shortfalls = one_team(("X",), pool, team_size=3)
    key = hmac.new(SEED, SALT.encode(), hashlib.sha256).digest()
    by_rank = sorted(
        (i.cert for i in pool),
        key=lambda c: hmac.digest(key, f"inspector:E1:{c}".encode(), "sha256"),
    )
    assert team == tuple(by_rank[:3]) and shortfalls == ()
    (drawn,) = run_draw(
        [EnterpriseIn("E1", "A", ("X",))],
        pool,
        [],
        DrawParams(ratios("1"), team_size=3),
        SEED,
        SALT,
    ).result
    assert drawn.lead == by_rank[0]


def test_an_expert_never_counts_as_an_officer() -> None:
    pool = [*officers("X", 1), InspectorIn("EXP1", "X", True)]
    assert one_team(("X",), pool, experts_per_team=1) == ((), ("officers:1",))
    assert one_team(("X",), pool) == ((), ("officers:1",))


def test_experts_join_after_the_officers() -> None:
    pool = [*officers("X", 2), InspectorIn("EXP1", "Y", True), InspectorIn("EXP2", "Z", True)]
    team, shortfalls = one_team(("X",), pool, experts_per_team=2)
    assert sorted(team[:2]) == ["X000", "X001"] and sorted(team[2:]) == ["EXP1", "EXP2"]
    assert shortfalls == ()


def test_each_department_of_the_enterprise_gets_an_officer() -> None:
    pool = officers("X", 5) + officers("Y", 1)
    for seed in seeds(20):
        team, shortfalls = one_team(("X", "Y"), pool, seed)
        assert "Y000" in team and len(team) == 2 and shortfalls == ()


def test_coverage_may_exceed_team_size() -> None:
    pool = officers("X", 2) + officers("Y", 2) + officers("Z", 2)
    team, shortfalls = one_team(("X", "Y", "Z"), pool)
    assert sorted(c[0] for c in team) == ["X", "Y", "Z"] and shortfalls == ()


def test_uncovered_department_is_reported_but_the_team_still_formed() -> None:
    pool = [*officers("X", 3), InspectorIn("Y000", "Y", False)]
    team, shortfalls = one_team(("X", "Y"), pool, recusals=(("Y000", "E1"),))
    assert len(team) == 2 and all(c.startswith("X") for c in team)
    assert shortfalls == ("department:Y",)


def test_officers_of_other_departments_are_not_candidates() -> None:
    team, shortfalls = one_team(("X",), officers("Y", 5))
    assert team == () and shortfalls == ("department:X", "officers:0")


def test_load_cap_is_respected_and_exhaustion_reported() -> None:
    enterprises = [EnterpriseIn(f"E{n}", "A", ("X",)) for n in range(6)]
    params = DrawParams(ratios=ratios("1"), team_size=2, load_cap=1)
    outcome = run_draw(enterprises, officers("X", 5), [], params, SEED, SALT)
    # 5 officers, one team each: two teams, then one officer left for every other enterprise.
    assert [len(t.team) for t in outcome.result] == [2, 2, 0, 0, 0, 0]
    assert [t.shortfalls for t in outcome.result[2:]] == [("officers:1",)] * 4
    assert len({c for t in outcome.result for c in t.team}) == 4


def test_load_cap_above_one_is_respected() -> None:
    enterprises = [EnterpriseIn(f"E{n}", "A", ("X",)) for n in range(12)]
    params = DrawParams(ratios=ratios("1"), team_size=2, load_cap=3)
    outcome = run_draw(enterprises, officers("X", 5), [], params, SEED, SALT)
    members = [c for t in outcome.result for c in t.team]
    # Twelve teams would need 24 places out of 15, so somebody reaches the cap.
    assert max(members.count(c) for c in set(members)) == 3
    for t in outcome.result:  # a full team, or none with the shortfall named
        assert len(t.team) == 2 or (
            t.team == () and t.shortfalls in {("officers:0",), ("officers:1",)}
        )


def test_a_short_pool_gives_a_smaller_team_only_with_a_shortfall() -> None:
    team, shortfalls = one_team(("X",), officers("X", 2), team_size=3)
    assert sorted(team) == ["X000", "X001"] and shortfalls == ("officers:2",)


def test_dropped_team_does_not_consume_load() -> None:
    enterprises = [EnterpriseIn("E1", "A", ("X",)), EnterpriseIn("E2", "A", ("X",))]
    inspectors = [*officers("X", 1), InspectorIn("EXP", "X", True), *officers("Y", 2)]
    params = DrawParams(ratios=ratios("1"), experts_per_team=1, load_cap=1)
    outcome = run_draw(enterprises, inspectors, [], params, SEED, SALT)
    assert [t.shortfalls for t in outcome.result] == [("officers:1",), ("officers:1",)]


# --- Verification ------------------------------------------------------------------------


def tampered(change: str) -> dict[str, object]:
    record: dict[str, object] = json.loads(json.dumps(worked_record()))
    r = copy.deepcopy(record)
    if change == "code":
        r["enterprises"][3]["code"] = E + "45"  # type: ignore[index]
    elif change == "member":
        r["result"][2]["team"][1] = "44030005"  # type: ignore[index]
    elif change == "seed":
        r["seed"] = "ff" + str(r["seed"])[2:]
    elif change == "k":
        r["strata"]["B"]["k"] = 3  # type: ignore[index]
    elif change == "salt":
        r["salt"] = "20261202"
    return r


@pytest.mark.parametrize(
    ("change", "first"),
    [
        ("code", "enterprise_snapshot"),
        ("member", "result[2].team"),
        ("seed", "commitment"),
        ("k", "strata.B.k"),
        ("salt", "result[0]"),
    ],
)
def test_both_verifiers_detect_tampering(change: str, first: str) -> None:
    record = tampered(change)
    for differences in (verify_record(record), load_tool().verify(record)):
        assert differences and differences[0].startswith(first), differences


def test_a_changed_code_that_is_drawn_changes_the_result_too() -> None:
    record = tampered("code")
    differences = verify_record(record)
    assert any(d.startswith("result[1].code") for d in differences)


@pytest.mark.parametrize("missing", ["seed", "params", "result", "strata", "format"])
def test_missing_keys_are_reported_not_raised(missing: str) -> None:
    record = worked_record()
    del record[missing]
    assert verify_record(record)[0].startswith("malformed record")
    assert load_tool().verify(record)[0].startswith("malformed record")


@pytest.mark.parametrize(
    "path",
    [
        ("algorithm",),
        ("params", "team_size"),
        ("params", "ratios", "A"),
        ("enterprises", 0, "risk"),
        ("enterprises", 0, "departments"),
        ("inspectors", 0, "expert"),
        ("recusals", 0),
        ("result", 0, "team"),
        ("strata", "A", "k"),
    ],
)
@pytest.mark.parametrize("bad", [None, 1.5, "x", [1]])
def test_wrong_types_are_reported_not_raised(path: tuple[object, ...], bad: object) -> None:
    record: object = json.loads(json.dumps(worked_record()))
    target = record
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = bad  # type: ignore[index]
    for differences in (verify_record(record), load_tool().verify(record)):  # type: ignore[arg-type]
        assert len(differences) == 1 and differences[0].startswith("malformed record")


def test_non_object_record_is_reported() -> None:
    assert verify_record([]).pop().startswith("malformed record")  # type: ignore[arg-type]
