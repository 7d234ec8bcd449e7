"""Resample an R-R tachogram onto a uniform 4 Hz grid for spectral HRV."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import interpolate

TASK = {
    "id": "ecg_rr_tachogram_resample",
    "category": "resampling",
    "modality": "ecg",
    "difficulty": "medium",
    "methods": ["CubicSpline", "interp1d", "interp"],
}

FUNCTION = "resample_tachogram"
SPEC = """Target: Build the R-R tachogram from beat times (each R-R interval in seconds is placed at
the time of the second beat of its pair) and interpolate it with a cubic spline onto a uniform
grid t = t_first, t_first + 1/fs_out, ... <= t_last, where t_first and t_last are the times of
the first and last R-R interval.

Input Specification:
- beat_times_s (np.ndarray): R-peak times in seconds, increasing, float64, shape (n_beats,).
- fs_out (float): rate of the uniform grid in Hz, typically 4.0.

Output Specification:
- t_uniform (np.ndarray): grid times in seconds, float64, shape (n_grid,).
- rr_uniform_s (np.ndarray): interpolated R-R interval in seconds at each grid time, float64,
  shape (n_grid,).
"""


def resample_tachogram(beat_times_s: np.ndarray, fs_out: float) -> tuple[np.ndarray, np.ndarray]:
    beats = np.asarray(beat_times_s, dtype=np.float64)
    rr = np.diff(beats)
    t_rr = beats[1:]
    grid = np.arange(t_rr[0], t_rr[-1] + 1e-9, 1.0 / fs_out)
    spline = interpolate.CubicSpline(t_rr, rr)
    return grid, np.asarray(spline(grid), dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    def rr_of(t: np.ndarray) -> np.ndarray:
        return 0.8 + 0.05 * np.sin(2 * np.pi * 0.1 * t)

    beats = [1.0]
    while beats[-1] < 120.0:
        beats.append(beats[-1] + float(rr_of(np.array([beats[-1]]))[0]))
    beat_times = np.array(beats)
    for fs_out in (4.0, 2.0):
        out = fn(beat_times.copy(), fs_out)
        assert isinstance(out, tuple) and len(out) == 2, "return (t_uniform, rr_uniform_s)"
        grid, rr = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
        assert grid.ndim == 1 and grid.shape == rr.shape, "t_uniform and rr_uniform_s shapes differ"
        assert np.allclose(np.diff(grid), 1.0 / fs_out), (
            f"grid step must be 1/fs_out = {1 / fs_out} s"
        )
        assert abs(grid[0] - beat_times[1]) < 1e-6, "the grid starts at the time of the first R-R"
        assert abs(grid[-1] - beat_times[-1]) <= 1.0 / fs_out, "the grid ends at the last R-R"
        assert 0.7 < float(np.median(rr)) < 0.9, (
            f"median R-R {np.median(rr):.3f}: R-R must be in seconds"
        )
        # interval ending at time t equals rr_of(t - interval) approximately
        beats_rr = np.diff(beat_times)
        expected = np.interp(grid, beat_times[1:], beats_rr)
        err = float(np.max(np.abs(rr - expected)))
        assert err < 0.005, f"interpolated R-R off by {err * 1000:.1f} ms"
