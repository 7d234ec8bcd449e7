"""Find prominent peaks in a sampled signal and report their times in seconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "data_peak_times_seconds",
    "category": "peak_detection",
    "modality": "data",
    "difficulty": "easy",
    "methods": ["find_peaks"],
}

FUNCTION = "peak_times"
SPEC = """Target: Find the local maxima of a signal with prominence of at least min_prominence and
at
least min_distance_s seconds apart (scipy.signal.find_peaks with distance converted to samples)
and return their times in seconds from the first sample.

Input Specification:
- x (np.ndarray): 1-D signal, float64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- min_distance_s (float): minimum time between two peaks in seconds.
- min_prominence (float): minimum peak prominence in the units of x.

Output Specification:
- times_s (np.ndarray): peak times in seconds, increasing, float64, shape (n_peaks,).
"""


def peak_times(
    x: np.ndarray, fs: float, min_distance_s: float, min_prominence: float
) -> np.ndarray:
    distance = max(1, round(min_distance_s * fs))
    peaks, _ = signal.find_peaks(
        np.asarray(x, dtype=np.float64), distance=distance, prominence=min_prominence
    )
    return peaks.astype(np.float64) / fs


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(9)
    fs = 200.0
    t = np.arange(int(20 * fs)) / fs
    true_times = np.array([1.0, 2.5, 4.0, 4.6, 7.3, 9.9, 12.0, 15.5, 18.2])
    x = 0.02 * rng.standard_normal(t.size)
    for tt in true_times:
        x += np.exp(-0.5 * ((t - tt) / 0.05) ** 2)
    out = fn(x.copy(), fs, 0.3, 0.5)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    out = out.astype(float)
    assert out.shape == true_times.shape, (
        f"found {out.size} peaks, expected {true_times.size} (noise peaks must be rejected)"
    )
    assert np.all(np.abs(out - true_times) < 0.02), (
        f"peak times {np.round(out, 3).tolist()} s do not match {true_times.tolist()} s "
        "(return seconds, not sample indices)"
    )
    # a minimum distance of 1 s merges the two peaks 0.6 s apart
    out2 = np.asarray(fn(x.copy(), fs, 1.0, 0.5), dtype=float)
    assert out2.size == true_times.size - 1, "min_distance_s must be converted to samples"
    empty = np.asarray(fn(np.zeros(100), fs, 0.3, 0.5))
    assert empty.size == 0, "a flat signal has no peaks"
