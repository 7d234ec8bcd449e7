"""Find ECG windows where the electrode is off (flat line or saturated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "ecg_lead_off_detection",
    "category": "anomaly",
    "modality": "ecg",
    "difficulty": "medium",
    "methods": ["ptp", "reshape", "isnan"],
}

FUNCTION = "lead_off_windows"
SPEC = """Target: Split the ECG into non-overlapping 1-second windows (round(fs) samples, incomplete
last window dropped) and flag a window as lead-off when it contains NaN, when its peak-to-peak
amplitude is below 0.05 mV (flat line) or when more than 10 % of its samples are at or beyond
+-saturation_mv (clipped amplifier).

Input Specification:
- ecg (np.ndarray): 1-D ECG in millivolts, shape (n_samples,), may contain NaN.
- fs (float): sampling rate in Hz.
- saturation_mv (float): amplifier rail in millivolts, e.g. 5.0.

Output Specification:
- lead_off (np.ndarray): bool per 1 s window, shape (n_samples // round(fs),).
"""


def lead_off_windows(ecg: np.ndarray, fs: float, saturation_mv: float) -> np.ndarray:
    x = np.asarray(ecg, dtype=np.float64)
    win = round(fs)
    n = x.size // win
    w = x[: n * win].reshape(n, win)
    has_nan = np.isnan(w).any(axis=1)
    with np.errstate(invalid="ignore"):
        flat = (
            np.nanmax(np.where(has_nan[:, None], 0.0, w), axis=1)
            - np.nanmin(np.where(has_nan[:, None], 0.0, w), axis=1)
            < 0.05
        )
        clipped = np.mean(np.abs(np.nan_to_num(w)) >= saturation_mv, axis=1) > 0.1
    return has_nan | flat | clipped


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(127)
    fs = 250.0
    t = np.arange(int(30 * fs)) / fs
    ecg = np.zeros_like(t)
    for b in np.arange(0.3, 30, 0.8):
        ecg += 1.2 * np.exp(-0.5 * ((t - b) / 0.012) ** 2) + 0.3 * np.exp(
            -0.5 * ((t - b - 0.25) / 0.04) ** 2
        )
    ecg += 0.02 * rng.standard_normal(t.size)
    ecg[int(5 * fs) : int(8 * fs)] = 0.01  # flat line
    ecg[int(12.2 * fs) : int(12.4 * fs)] = np.nan  # dropped packet
    ecg[int(20 * fs) : int(22 * fs)] = np.clip(30 * ecg[int(20 * fs) : int(22 * fs)] + 4.9, -5, 5)
    out = fn(ecg.copy(), fs, 5.0)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == (30,) and out.dtype == bool, f"shape {out.shape}: one bool per 1 s window"
    expected = np.zeros(30, dtype=bool)
    expected[[5, 6, 7, 12, 20, 21]] = True
    wrong = np.flatnonzero(out != expected)
    assert wrong.size == 0, (
        f"windows {wrong.tolist()} misclassified (expected {np.flatnonzero(expected).tolist()})"
    )
