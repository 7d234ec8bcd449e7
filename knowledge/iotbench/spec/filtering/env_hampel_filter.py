"""Remove spikes from an environmental sensor series with a Hampel filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "env_hampel_filter",
    "category": "filtering",
    "modality": "environmental",
    "difficulty": "medium",
    "methods": ["hampel", "median", "MAD", "1.4826"],
}

FUNCTION = "hampel_filter"
SPEC = """Target: Hampel filter: for each sample take the window of half_window samples on each side
(truncated at the ends), ignore NaN, compute the median m and the scaled MAD s = 1.4826 *
median(|w - m|); a sample with |x - m| > n_sigmas * s is an outlier and is replaced by m.

Input Specification:
- values (np.ndarray): 1-D sensor readings (e.g. temperature in degC), float64, may contain NaN.
- half_window (int): number of samples on each side of the centre sample, >= 1.
- n_sigmas (float): outlier threshold in scaled MADs, typically 3.0.

Output Specification:
- filtered (np.ndarray): values with outliers replaced by the window median; NaN stays NaN;
  same shape, float64.
- outliers (np.ndarray): bool mask, True where a sample was replaced, same shape as values.
"""


def hampel_filter(
    values: np.ndarray, half_window: int, n_sigmas: float
) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=np.float64)
    n = x.size
    filtered = x.copy()
    outliers = np.zeros(n, dtype=bool)
    for i in range(n):
        if np.isnan(x[i]):
            continue
        w = x[max(0, i - half_window) : i + half_window + 1]
        w = w[~np.isnan(w)]
        m = float(np.median(w))
        s = 1.4826 * float(np.median(np.abs(w - m)))
        if abs(x[i] - m) > n_sigmas * s:
            filtered[i] = m
            outliers[i] = True
    return filtered, outliers


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(7)
    n = 2000
    t = np.arange(n)
    clean = 21.0 + 2.0 * np.sin(2 * np.pi * t / 700) + 0.05 * rng.standard_normal(n)
    x = clean.copy()
    spikes = rng.choice(np.arange(20, n - 20), 15, replace=False)
    x[spikes] += rng.choice([-1, 1], 15) * rng.uniform(3, 8, 15)
    nan_at = np.array([100, 101, 102, 1500])
    x[nan_at] = np.nan
    out = fn(x.copy(), 7, 3.0)
    assert isinstance(out, tuple) and len(out) == 2, "return (filtered, outliers) as a tuple"
    filtered, outliers = np.asarray(out[0]), np.asarray(out[1])
    assert filtered.shape == x.shape, f"filtered shape {filtered.shape} != {x.shape}"
    assert outliers.shape == x.shape and outliers.dtype == bool, "outliers must be a bool mask"
    assert np.all(np.isnan(filtered[nan_at])), "NaN inputs must stay NaN"
    assert not np.any(outliers[nan_at]), "NaN inputs are not outliers"
    assert np.all(outliers[spikes]), f"missed spikes at {spikes[~outliers[spikes]].tolist()}"
    n_false = int(np.sum(outliers)) - spikes.size
    assert n_false <= 0.02 * n, f"{n_false} clean samples flagged as outliers (too many)"
    err = np.abs(filtered[spikes] - clean[spikes])
    assert np.all(err < 0.3), f"spikes replaced by values far from the local level: {err.max():.2f}"
    keep = ~outliers & ~np.isnan(x)
    assert np.array_equal(filtered[keep], x[keep]), "samples that are not outliers must not change"
    # a tiny input: window truncated at both ends
    small = np.array([1.0, 1.1, 50.0, 0.9, 1.0])
    f2, o2 = fn(small.copy(), 2, 3.0)
    assert bool(np.asarray(o2)[2]) and abs(float(np.asarray(f2)[2]) - 1.0) < 0.11, (
        "a 5-sample input with one spike must have the spike replaced by the median"
    )
