"""Aggregate irregularly sampled environmental readings into hourly means."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "env_hourly_mean",
    "category": "resampling",
    "modality": "environmental",
    "difficulty": "medium",
    "methods": ["bincount", "floor", "resample", "groupby", "nanmean"],
}

FUNCTION = "hourly_mean"
SPEC = """Target: Average irregularly timed sensor readings per clock hour. Hour bins start at
multiples of 3600 s; the bins run from floor(min(t) / 3600) * 3600 to floor(max(t) / 3600) * 3600
inclusive; NaN readings are ignored; a bin with no valid reading gets NaN.

Input Specification:
- timestamps_s (np.ndarray): reading times in seconds since the Unix epoch, float64, shape
  (n,), not necessarily sorted.
- values (np.ndarray): readings (e.g. CO2 in ppm), float64, shape (n,), may contain NaN.

Output Specification:
- hour_starts_s (np.ndarray): start of each hour bin in seconds since the epoch, float64,
  shape (n_hours,).
- means (np.ndarray): mean of the valid readings in each bin, float64, shape (n_hours,).
"""


def hourly_mean(timestamps_s: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(timestamps_s, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    first = np.floor(t.min() / 3600.0)
    bins = (np.floor(t / 3600.0) - first).astype(np.int64)
    n_hours = int(bins.max()) + 1
    ok = ~np.isnan(v)
    sums = np.bincount(bins[ok], weights=v[ok], minlength=n_hours)
    counts = np.bincount(bins[ok], minlength=n_hours)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    starts = (first + np.arange(n_hours)) * 3600.0
    return starts, means.astype(np.float64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(5)
    t0 = 1_700_000_000.0 - (1_700_000_000.0 % 3600) + 1234.0  # mid-hour start
    t = t0 + np.sort(rng.uniform(0, 10 * 3600, 900))
    t = t[(t < t0 + 4 * 3600) | (t > t0 + 6 * 3600)]  # one hour has no readings
    level = 400.0 + 10.0 * np.floor((t - t0 + 1234.0) / 3600.0)
    v = level + rng.normal(0, 1.0, t.size)
    v[::37] = np.nan
    perm = rng.permutation(t.size)
    out = fn(t[perm].copy(), v[perm].copy())
    assert isinstance(out, tuple) and len(out) == 2, "return (hour_starts_s, means)"
    starts, means = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
    first = np.floor(t.min() / 3600) * 3600
    last = np.floor(t.max() / 3600) * 3600
    exp_starts = np.arange(first, last + 1, 3600.0)
    assert starts.shape == exp_starts.shape, (
        f"{starts.size} hour bins, expected {exp_starts.size} (seconds, not ms or samples)"
    )
    assert np.allclose(starts, exp_starts), "hour_starts_s must be multiples of 3600 s"
    assert means.shape == starts.shape, "means and hour_starts_s must have the same shape"
    bins = np.floor(t / 3600) * 3600
    for i, s in enumerate(exp_starts):
        sel = (bins == s) & ~np.isnan(v)
        if sel.any():
            exp = float(np.mean(v[sel]))
            assert abs(means[i] - exp) < 1e-6, f"hour {i}: mean {means[i]:.3f}, expected {exp:.3f}"
        else:
            assert np.isnan(means[i]), f"hour {i} has no valid reading and must be NaN"
    assert np.isnan(means).sum() >= 1, "the empty hour must be NaN"
