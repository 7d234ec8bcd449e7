"""Resample jittery, unsorted IMU samples onto a uniform time grid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "imu_align_timestamps",
    "category": "resampling",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["interp", "argsort", "unique", "interp1d"],
}

FUNCTION = "resample_uniform"
SPEC = """Target: Sort IMU samples by timestamp, drop samples with a duplicate timestamp (keep the
first), and linearly interpolate each axis onto the uniform grid t_min, t_min + 1/fs, ... <= t_max.

Input Specification:
- timestamps_s (np.ndarray): sample times in seconds, float64, shape (n,), jittery, possibly
  unsorted and with duplicates.
- samples (np.ndarray): gyroscope or accelerometer readings, shape (n, 3), float64.
- fs (float): target sampling rate in Hz.

Output Specification:
- t_uniform (np.ndarray): uniform times in seconds, shape (m,), float64.
- resampled (np.ndarray): interpolated readings, shape (m, 3), float64.
"""


def resample_uniform(
    timestamps_s: np.ndarray, samples: np.ndarray, fs: float
) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(timestamps_s, dtype=np.float64)
    x = np.asarray(samples, dtype=np.float64)
    order = np.argsort(t, kind="stable")
    t, x = t[order], x[order]
    t, first = np.unique(t, return_index=True)
    x = x[first]
    grid = np.arange(t[0], t[-1] + 1e-12, 1.0 / fs)
    out = np.column_stack([np.interp(grid, t, x[:, j]) for j in range(x.shape[1])])
    return grid, out


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(2)
    n = 1500
    t = np.cumsum(rng.uniform(0.008, 0.012, n)) + 5.0
    t[100] = t[99]  # duplicate timestamp
    freqs = np.array([0.5, 1.0, 2.0])
    x = np.sin(2 * np.pi * freqs[None, :] * t[:, None])
    perm = rng.permutation(n)
    for fs in (100.0, 50.0):
        out = fn(t[perm].copy(), x[perm].copy(), fs)
        assert isinstance(out, tuple) and len(out) == 2, "return (t_uniform, resampled)"
        grid, y = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
        m = int(np.floor((t.max() - t.min()) * fs)) + 1
        assert grid.ndim == 1 and abs(grid.size - m) <= 1, f"{grid.size} grid points, expected {m}"
        assert y.shape == (grid.size, 3), f"resampled shape {y.shape}, expected ({grid.size}, 3)"
        assert np.allclose(np.diff(grid), 1.0 / fs), "grid must be uniform with step 1/fs seconds"
        assert abs(grid[0] - t.min()) < 1e-9, "the grid starts at the earliest timestamp"
        assert np.all(np.isfinite(y)), "resampled data contains NaN"
        ref = np.sin(2 * np.pi * freqs[None, :] * grid[:, None])
        err = float(np.max(np.abs(y - ref)))
        assert err < 0.01, f"resampled values off by {err:.3f} (sort by time before interpolating)"
