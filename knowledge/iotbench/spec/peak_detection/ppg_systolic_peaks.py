"""Detect systolic peaks in a fingertip PPG, ignoring the dicrotic wave."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_systolic_peaks",
    "category": "peak_detection",
    "modality": "ppg",
    "difficulty": "medium",
    "methods": ["find_peaks", "butter", "filtfilt", "sosfiltfilt"],
}

FUNCTION = "systolic_peaks"
SPEC = """Target: Detect one systolic peak per heartbeat in a PPG: band-pass 0.5-4 Hz (zero-phase
Butterworth), then scipy.signal.find_peaks with a minimum distance of 0.33 s (in samples) and a
prominence of at least 0.8 times the standard deviation of the filtered signal, so that the
dicrotic wave and noise are not counted.

Input Specification:
- ppg (np.ndarray): 1-D PPG samples (arbitrary units), float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- peaks (np.ndarray): sample indices of the systolic peaks, increasing, int64, shape (n_beats,).
"""


def systolic_peaks(ppg: np.ndarray, fs: float) -> np.ndarray:
    sos = signal.butter(2, [0.5, 4.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, np.asarray(ppg, dtype=np.float64))
    peaks, _ = signal.find_peaks(
        filt, distance=max(1, round(0.33 * fs)), prominence=0.8 * filt.std()
    )
    return peaks.astype(np.int64)


def _synthetic_ppg(
    fs: float, beats: np.ndarray, duration: float, rng: np.random.Generator
) -> np.ndarray:
    t = np.arange(int(duration * fs)) / fs
    x = np.zeros_like(t)
    for b in beats:
        lo, hi = np.searchsorted(t, [b - 0.5, b + 0.8])
        seg = t[lo:hi] - b
        x[lo:hi] += np.exp(-0.5 * (seg / 0.09) ** 2) + 0.45 * np.exp(
            -0.5 * ((seg - 0.3) / 0.08) ** 2
        )
    x += 0.8 * np.sin(2 * np.pi * 0.1 * t) + 0.03 * rng.standard_normal(t.size)
    return 50.0 + x


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(8)
    for fs, hr in ((100.0, 65.0), (25.0, 95.0), (125.0, 140.0)):
        duration = 30.0
        rr = 60.0 / hr + rng.normal(0, 0.02, 100)
        beats = 0.6 + np.cumsum(np.concatenate([[0.0], rr]))
        beats = beats[beats < duration - 0.8]
        ppg = _synthetic_ppg(fs, beats, duration, rng)
        peaks = fn(ppg.copy(), fs)
        assert isinstance(peaks, np.ndarray), f"expected np.ndarray, got {type(peaks).__name__}"
        assert peaks.ndim == 1 and np.issubdtype(peaks.dtype, np.integer), (
            "peaks must be a 1-D array of integer sample indices"
        )
        times = peaks / fs
        inner = beats[(beats > 1.0) & (beats < duration - 1.0)]
        hits = sum(bool(np.any(np.abs(times - b) < 0.06)) for b in inner)
        recall = hits / inner.size
        extra = int(np.sum((times > 1.0) & (times < duration - 1.0))) - hits
        assert recall >= 0.95, f"fs={fs}, {hr} bpm: only {recall:.0%} of beats found within 60 ms"
        assert extra <= 1, f"fs={fs}, {hr} bpm: {extra} extra peaks (dicrotic waves counted?)"
