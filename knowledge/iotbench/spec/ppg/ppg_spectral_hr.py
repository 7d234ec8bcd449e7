"""Estimate heart rate from a noisy PPG as the dominant Welch-PSD frequency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_spectral_hr",
    "category": "ppg",
    "modality": "ppg",
    "difficulty": "medium",
    "methods": ["welch", "periodogram", "rfft"],
}

FUNCTION = "spectral_heart_rate"
SPEC = """Target: Estimate heart rate as the frequency of the largest peak of the Welch power
spectral density (nperseg = 8 s of samples, zero-padded to nfft = 2048 or more) restricted to
0.7-3.5 Hz (42-210 bpm), converted to beats per minute.

Input Specification:
- ppg (np.ndarray): 1-D PPG samples, float64, shape (n_samples,), at least 16 s long.
- fs (float): sampling rate in Hz.

Output Specification:
- hr_bpm (float): heart rate in beats per minute.
"""


def spectral_heart_rate(ppg: np.ndarray, fs: float) -> float:
    x = np.asarray(ppg, dtype=np.float64)
    nperseg = min(x.size, round(8 * fs))
    f, p = signal.welch(x - x.mean(), fs=fs, nperseg=nperseg, nfft=max(2048, nperseg))
    band = (f >= 0.7) & (f <= 3.5)
    return float(60.0 * f[band][np.argmax(p[band])])


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(41)
    for fs, hr in ((50.0, 72.0), (125.0, 150.0), (25.0, 55.0)):
        t = np.arange(int(40 * fs)) / fs
        f0 = hr / 60.0
        x = np.sin(2 * np.pi * f0 * t) + 0.4 * np.sin(2 * np.pi * 2 * f0 * t + 0.5)
        x += 2.0 * np.sin(2 * np.pi * 0.2 * t)  # respiration / baseline, stronger than the pulse
        x += 0.5 * rng.standard_normal(t.size)
        got = fn(x.copy(), fs)
        assert isinstance(got, (float, np.floating)), f"expected a float, got {type(got).__name__}"
        assert abs(float(got) - hr) < 3.0, (
            f"fs={fs}: {float(got):.1f} bpm, expected {hr} bpm (restrict to 0.7-3.5 Hz, convert Hz "
            "to bpm)"
        )
