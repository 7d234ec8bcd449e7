"""Segment a multichannel stream into fixed-length overlapping windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "data_sliding_windows",
    "category": "windowing_features",
    "modality": "data",
    "difficulty": "easy",
    "methods": ["sliding_window_view", "stride_tricks"],
}

FUNCTION = "sliding_windows"
SPEC = """Target: Cut a multichannel signal into windows of window_s seconds that start every step_s
seconds from the first sample; window and step lengths in samples are round(seconds * fs);
incomplete windows at the end are dropped.

Input Specification:
- x (np.ndarray): signal, shape (n_samples, n_channels), rows are time.
- fs (float): sampling rate in Hz.
- window_s (float): window length in seconds.
- step_s (float): step between window starts in seconds.

Output Specification:
- windows (np.ndarray): shape (n_windows, window_samples, n_channels), same dtype as x, with
  n_windows = (n_samples - window_samples) // step_samples + 1 (0 when the signal is shorter).
"""


def sliding_windows(x: np.ndarray, fs: float, window_s: float, step_s: float) -> np.ndarray:
    a = np.asarray(x)
    win, step = round(window_s * fs), round(step_s * fs)
    if a.shape[0] < win:
        return np.empty((0, win, a.shape[1]), dtype=a.dtype)
    n = (a.shape[0] - win) // step + 1
    return np.stack([a[i * step : i * step + win] for i in range(n)])


def check(fn: Callable[..., Any]) -> None:
    x = np.arange(1000 * 3, dtype=np.float64).reshape(1000, 3)
    out = fn(x.copy(), 50.0, 2.56, 1.28)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == (14, 128, 3), f"shape {out.shape}, expected (14, 128, 3)"
    assert np.array_equal(out[0], x[:128]) and np.array_equal(out[1], x[64:192]), (
        "window k must hold samples k*step ... k*step + window - 1 (time on axis 1)"
    )
    assert np.array_equal(out[-1], x[13 * 64 : 13 * 64 + 128]), "last complete window is wrong"
    out2 = np.asarray(fn(x[:100].copy(), 100.0, 0.5, 0.5))
    assert out2.shape == (2, 50, 3), f"non-overlapping: shape {out2.shape}, expected (2, 50, 3)"
    short = np.asarray(fn(x[:10].copy(), 50.0, 2.56, 1.28))
    assert short.shape[0] == 0, "a signal shorter than one window gives no windows"
