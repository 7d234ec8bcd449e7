"""Per-window statistical features of a 3-axis accelerometer for activity recognition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "imu_window_features",
    "category": "windowing_features",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["sliding_window_view", "std", "mean", "sqrt"],
}

FUNCTION = "window_features"
SPEC = """Target: Split an accelerometer stream into non-overlapping windows of window_s seconds
(round(window_s * fs) samples, incomplete last window dropped) and compute per window and axis
the mean, standard deviation (ddof=0), minimum, maximum and RMS, plus the mean of the magnitude.

Input Specification:
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3).
- fs (float): sampling rate in Hz.
- window_s (float): window length in seconds.

Output Specification:
- features (np.ndarray): shape (n_windows, 16), float64; columns in this order: mean_x, mean_y,
  mean_z, std_x, std_y, std_z, min_x, min_y, min_z, max_x, max_y, max_z, rms_x, rms_y, rms_z,
  mean_magnitude.
"""


def window_features(acc: np.ndarray, fs: float, window_s: float) -> np.ndarray:
    a = np.asarray(acc, dtype=np.float64)
    win = round(window_s * fs)
    n = a.shape[0] // win
    w = a[: n * win].reshape(n, win, 3)
    mag = np.linalg.norm(w, axis=2).mean(axis=1, keepdims=True)
    parts = [w.mean(1), w.std(1), w.min(1), w.max(1), np.sqrt((w**2).mean(1)), mag]
    return np.concatenate(parts, axis=1)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(83)
    fs = 50.0
    acc = rng.normal([0.5, -1.0, 9.8], [0.2, 1.0, 3.0], (1030, 3))
    out = fn(acc.copy(), fs, 2.0)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == (10, 16), f"shape {out.shape}, expected (10 windows, 16 features)"
    w = acc[:1000].reshape(10, 100, 3)
    expected = np.concatenate(
        [
            w.mean(1),
            w.std(1),
            w.min(1),
            w.max(1),
            np.sqrt((w**2).mean(1)),
            np.linalg.norm(w, axis=2).mean(1, keepdims=True),
        ],
        axis=1,
    )
    names = ["mean", "std", "min", "max", "rms"]
    for j in range(16):
        label = "mean_magnitude" if j == 15 else f"{names[j // 3]}_{'xyz'[j % 3]}"
        assert np.allclose(out[:, j], expected[:, j], rtol=1e-6, atol=1e-9), (
            f"column {j} ({label}) is wrong (order: mean, std, min, max, rms per axis, magnitude)"
        )
