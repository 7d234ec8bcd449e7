"""Estimate the mean heart rate in beats per minute from a PPG recording."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_heart_rate_bpm",
    "category": "ppg",
    "modality": "ppg",
    "difficulty": "easy",
    "methods": ["find_peaks", "butter", "filtfilt", "sosfiltfilt"],
}

FUNCTION = "ppg_heart_rate"
SPEC = """Target: Estimate the heart rate from a PPG: zero-phase Butterworth band-pass 0.5-4 Hz,
systolic peaks with scipy.signal.find_peaks (minimum distance 0.33 s converted to samples), then
heart rate = 60 / mean inter-beat interval in seconds.

Input Specification:
- ppg (np.ndarray): 1-D PPG samples (arbitrary units), float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- hr_bpm (float): heart rate in beats per minute.
"""


def ppg_heart_rate(ppg: np.ndarray, fs: float) -> float:
    sos = signal.butter(2, [0.5, 4.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, np.asarray(ppg, dtype=np.float64))
    peaks, _ = signal.find_peaks(
        filt, distance=max(1, round(0.33 * fs)), prominence=0.5 * filt.std()
    )
    return float(60.0 / np.mean(np.diff(peaks) / fs))


def _synthetic_ppg(fs: float, hr: float, duration: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(duration * fs)) / fs
    grid = np.arange(0.3, duration, 60.0 / hr)
    beats = grid + rng.normal(0, 0.01, grid.size)
    x = np.zeros_like(t)
    for b in beats:
        seg = t - b
        x += np.exp(-0.5 * (seg / 0.09) ** 2) + 0.4 * np.exp(-0.5 * ((seg - 0.3) / 0.08) ** 2)
    return 100.0 + x + 0.5 * np.sin(2 * np.pi * 0.15 * t) + 0.03 * rng.standard_normal(t.size)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(31)
    for fs, hr in ((100.0, 62.0), (25.0, 88.0), (64.0, 130.0)):
        ppg = _synthetic_ppg(fs, hr, 30.0, rng)
        got = fn(ppg.copy(), fs)
        assert isinstance(got, (float, np.floating)), f"expected a float, got {type(got).__name__}"
        assert abs(float(got) - hr) < 2.5, f"fs={fs}: {float(got):.1f} bpm, expected {hr} bpm"
