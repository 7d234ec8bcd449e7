"""Per-window motion indicator from WiFi CSI amplitude variance."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "csi_motion_variance",
    "category": "windowing_features",
    "modality": "csi",
    "difficulty": "medium",
    "methods": ["std", "reshape", "sliding_window_view"],
}

FUNCTION = "csi_motion_indicator"
SPEC = """Target: Motion indicator from CSI amplitude: split the packets into non-overlapping
windows of
window_s seconds (round(window_s * packet_rate) packets, incomplete last window dropped); per
window take the standard deviation over time (ddof=0) of each subcarrier's amplitude and average
it over subcarriers.

Input Specification:
- csi_amp (np.ndarray): CSI amplitude, shape (n_packets, n_subcarriers), float64.
- packet_rate (float): packets per second (Hz).
- window_s (float): window length in seconds.

Output Specification:
- motion (np.ndarray): motion indicator per window, float64, shape (n_windows,).
"""


def csi_motion_indicator(csi_amp: np.ndarray, packet_rate: float, window_s: float) -> np.ndarray:
    a = np.asarray(csi_amp, dtype=np.float64)
    win = round(window_s * packet_rate)
    n = a.shape[0] // win
    return a[: n * win].reshape(n, win, a.shape[1]).std(axis=1).mean(axis=1)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(89)
    rate, n_sub = 100.0, 30
    n = int(20.5 * rate)
    base = rng.uniform(5, 15, n_sub)
    amp = base[None, :] + 0.05 * rng.standard_normal((n, n_sub))
    t = np.arange(n) / rate
    moving = (t >= 8) & (t < 12)
    amp[moving] += 1.5 * np.sin(2 * np.pi * 1.3 * t[moving])[:, None] * rng.uniform(0.5, 1, n_sub)
    out = fn(amp.copy(), rate, 1.0)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == (20,), f"shape {out.shape}, expected (20,) one value per 1 s window"
    expected = amp[:2000].reshape(20, 100, n_sub).std(axis=1).mean(axis=1)
    assert np.allclose(out, expected, rtol=1e-6), "motion must be the mean over subcarriers of std"
    assert out[8:12].min() > 5 * out[:8].max(), "windows with motion must stand out"
