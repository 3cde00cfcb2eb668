"""Benchmark of critique.methods.misid.adjust_counts: a million Monte Carlo draws (issue 5 asks for well
under a second) and the feedback simulation. Run by ``make bench``; prints what one run measured."""
from __future__ import annotations

import time

import numpy as np

from critique.methods import misid


def _best_of(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run() -> list[str]:
    """Times of one run, as printed lines."""
    n = 1_000_000
    one_beta = _best_of(lambda: misid.adjust_counts(167, 1.0, misid.Beta(194, 51), n_draws=n, seed=1))
    two_beta = _best_of(lambda: misid.adjust_counts(90354, 0.28, misid.Beta(194, 51), misid.Beta(2, 20),
                                                    n_draws=n, seed=1))
    mixture = misid.BetaMixture((misid.Beta(194, 51), misid.Beta(85, 97)), (0.5, 0.5))
    series = np.linspace(30_000, 130_000, 16)  # a 16-year series, one shared uncertain rate
    mix_series = _best_of(lambda: misid.adjust_counts(series, 0.28, mixture, n_draws=n, seed=1))
    fixed = _best_of(lambda: misid.adjust_counts(series, 0.28, 0.5))
    rng = np.random.default_rng(1)  # the same arithmetic one draw at a time, for the ratio
    draws = rng.beta(194, 51, size=100_000)
    t1 = time.perf_counter()
    loop = [167 * (1 - 1.0 * float(f)) for f in draws]
    t_loop = (time.perf_counter() - t1) * (n / 100_000)
    del loop
    feedback = _best_of(lambda: misid.simulate_feedback({misid.SEX: 0.3, "Forced labour": 0.7},
                                                        {misid.SEX: 2.0}, 0.5, years=1000,
                                                        responsiveness=0.5))
    return [
        f"adjust_counts, 1,000,000 draws, one Beta rate: {one_beta * 1000:.0f} ms (best of 5; "
        f"{'well under' if one_beta < 0.5 else 'NOT well under'} one second)",
        f"adjust_counts, 1,000,000 draws, two Beta rates: {two_beta * 1000:.0f} ms",
        f"adjust_counts, 1,000,000 draws, Beta mixture, 16-year series: {mix_series * 1000:.0f} ms",
        f"adjust_counts, fixed rates, 16-year series: {fixed * 1e6:.0f} us",
        f"pure-Python arithmetic alone over 1,000,000 pre-drawn rates (extrapolated from 100,000): "
        f"{t_loop * 1000:.0f} ms, {t_loop / one_beta:.1f}x the vectorised call (which also takes quantiles)",
        f"simulate_feedback, 2 forms, 1,000 years (with fixed point): {feedback * 1000:.1f} ms",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
