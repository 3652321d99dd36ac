"""Statistical checks that the draw is uniform, over 2,000 draws with fixed seeds.

The seeds are fixed (SHA-256 of the draw number), so these tests are deterministic; they
would fail if the ranks favoured some codes or certificates.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from fractions import Fraction
from statistics import NormalDist

from services.draw.engine import (
    DrawParams,
    EnterpriseIn,
    InspectorIn,
    draw_enterprises,
    draw_key,
    run_draw,
)

DRAWS = 2000
ALPHA = Fraction(1, 1000)  # 99.9% intervals


def seed(n: int) -> bytes:
    return hashlib.sha256(str(n).encode()).digest()


def binomial_interval(n: int, p: Fraction, alpha: Fraction) -> tuple[int, int]:
    """Exact two-sided interval [low, high] with P(X < low) <= alpha/2 and P(X > high) <= alpha/2.

    Computed with integers (math.comb) and fractions, no approximation.
    """
    pmf = [math.comb(n, x) * p**x * (1 - p) ** (n - x) for x in range(n + 1)]
    low, tail = 0, Fraction(0)
    while tail + pmf[low] <= alpha / 2:
        tail += pmf[low]
        low += 1
    high, tail = n, Fraction(0)
    while tail + pmf[high] <= alpha / 2:
        tail += pmf[high]
        high -= 1
    return low, high


def chi_square_critical(df: int, alpha: float) -> float:
    """Upper alpha quantile of chi-square(df), Wilson-Hilferty approximation.

    x = df * (1 - 2/(9 df) + z * sqrt(2/(9 df)))^3 with z the upper alpha normal quantile;
    for df = 19 and alpha = 0.001 it gives 43.95 against the tabulated 43.82.
    """
    z = NormalDist().inv_cdf(1 - alpha)
    c = 2 / (9 * df)
    return df * (1 - c + z * math.sqrt(c)) ** 3


def test_binomial_interval_matches_a_known_case() -> None:
    # Binomial(10, 1/2): P(X <= 0) = 1/1024 <= 0.0025 < P(X <= 1) = 11/1024.
    assert binomial_interval(10, Fraction(1, 2), Fraction(1, 200)) == (1, 9)


def test_chi_square_critical_value_is_close_to_the_table() -> None:
    assert abs(chi_square_critical(19, 0.001) - 43.82) < 0.2
    assert abs(chi_square_critical(10, 0.001) - 29.59) < 0.2


def test_each_enterprise_is_drawn_with_probability_k_over_n() -> None:
    codes = [f"91440300MA5G{n:05d}X" for n in range(50)]
    params = DrawParams(ratios={"A": "0.2", "B": "0", "C": "0", "D": "0"})
    counts: Counter[str] = Counter()
    for n in range(DRAWS):
        selection = draw_enterprises({"A": codes}, params, draw_key(seed(n), ""))
        assert selection.strata["A"] == (50, 10)
        counts.update(code for _, code in selection.drawn)
    low, high = binomial_interval(DRAWS, Fraction(10, 50), ALPHA)
    # Cross-check against the normal approximation: 400 -+ 3.29 * 17.9.
    z, sigma = NormalDist().inv_cdf(1 - float(ALPHA) / 2), math.sqrt(DRAWS * 0.2 * 0.8)
    assert abs(low - (400 - z * sigma)) < 2 and abs(high - (400 + z * sigma)) < 2
    outside = {code: counts[code] for code in codes if not low <= counts[code] <= high}
    assert outside == {}


def test_officers_are_assigned_uniformly() -> None:
    inspectors = [InspectorIn(f"4403{n:04d}", "SCJG", False) for n in range(20)]
    enterprises = [EnterpriseIn(f"91440300MA5H{n:05d}X", "A", ("SCJG",)) for n in range(5)]
    params = DrawParams(ratios={"A": "1", "B": "0", "C": "0", "D": "0"}, load_cap=DRAWS)
    counts: Counter[str] = Counter()
    for n in range(DRAWS):
        outcome = run_draw(enterprises, inspectors, [], params, seed(n), "")
        counts.update(cert for team in outcome.result for cert in team.team)
    expected = DRAWS * 5 * 2 / 20
    assert sum(counts.values()) == DRAWS * 5 * 2
    statistic = sum((counts[i.cert] - expected) ** 2 / expected for i in inspectors)
    # Each team holds two distinct officers, which makes the statistic slightly smaller
    # than a multinomial one (mean 18 instead of 19): the test errs on the safe side.
    assert statistic < chi_square_critical(len(inspectors) - 1, 0.001)
