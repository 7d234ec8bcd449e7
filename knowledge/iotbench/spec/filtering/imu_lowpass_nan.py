"""Low-pass filter a 3-axis accelerometer stream that has short NaN gaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "imu_lowpass_nan",
    "category": "filtering",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["butter", "sosfiltfilt", "filtfilt", "interp"],
}

FUNCTION = "lowpass_accel"
SPEC = """Target: Fill NaN gaps in each accelerometer axis by linear interpolation over time (gaps
at the ends take the nearest valid value), then low-pass each axis independently along time with
an order-4 zero-phase Butterworth filter at cutoff_hz.

Input Specification:
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3) (rows are time), may hold NaN.
- fs (float): sampling rate in Hz.
- cutoff_hz (float): low-pass cutoff frequency in Hz, below fs / 2.

Output Specification:
- smoothed (np.ndarray): filtered accelerations in m/s^2, shape (n_samples, 3), float64, no NaN.
"""


def lowpass_accel(acc: np.ndarray, fs: float, cutoff_hz: float) -> np.ndarray:
    x = np.array(acc, dtype=np.float64)
    idx = np.arange(x.shape[0])
    for j in range(x.shape[1]):
        bad = np.isnan(x[:, j])
        if bad.any() and (~bad).any():
            x[bad, j] = np.interp(idx[bad], idx[~bad], x[~bad, j])
    sos = signal.butter(4, cutoff_hz, btype="lowpass", fs=fs, output="sos")
    return np.asarray(signal.sosfiltfilt(sos, x, axis=0), dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    fs = 100.0
    t = np.arange(3000) / fs
    slow = np.column_stack(
        [np.sin(2 * np.pi * 1.0 * t), 9.81 + 0 * t, 0.5 * np.sin(2 * np.pi * 0.5 * t)]
    )
    fast = np.column_stack(
        [
            0.5 * np.sin(2 * np.pi * 15 * t),
            0.8 * np.sin(2 * np.pi * 20 * t),
            0.3 * np.sin(2 * np.pi * 30 * t),
        ]
    )
    acc = slow + fast
    acc[1200:1210, 0] = np.nan
    acc[:3, 2] = np.nan
    acc[2000, 1] = np.nan
    y = fn(acc.copy(), fs, 5.0)
    assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
    assert y.shape == acc.shape, f"shape {y.shape} != {acc.shape}: filter along time (axis 0)"
    assert np.all(np.isfinite(y)), "output contains NaN: fill the gaps before filtering"
    mid = slice(300, 2700)
    away = np.r_[300:1150, 1260:2700]
    err = np.max(np.abs(y[away] - slow[away]), axis=0)
    assert np.all(err < 0.12), f"per-axis max error vs the slow motion {np.round(err, 3)} m/s^2"
    gap_err = float(np.max(np.abs(y[1195:1215, 0] - slow[1195:1215, 0])))
    assert gap_err < 0.4, f"the filled NaN gap is off by {gap_err:.2f} m/s^2"
    assert abs(float(np.mean(y[mid, 1])) - 9.81) < 0.01, "the gravity (DC) level must be kept"
    # zero phase: no lag on the 1 Hz component
    seg = y[mid, 0]
    ref = slow[mid, 0]
    lags = np.arange(-5, 6)
    lag = lags[int(np.argmax([np.dot(np.roll(seg, -k), ref) for k in lags]))]
    assert abs(int(lag)) <= 1, f"output is delayed by {lag} samples; use zero-phase filtering"
