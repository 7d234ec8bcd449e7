"""Dominant frequency of a sampled signal in hertz."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "data_dominant_frequency",
    "category": "spectral",
    "modality": "data",
    "difficulty": "easy",
    "methods": ["rfft", "rfftfreq", "fft"],
}

FUNCTION = "dominant_frequency"
SPEC = """Target: Return the frequency in Hz of the largest magnitude bin of the real FFT of the
mean-removed signal, excluding the 0 Hz bin.

Input Specification:
- x (np.ndarray): 1-D signal, float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- freq_hz (float): dominant frequency in Hz (not a bin index).
"""


def dominant_frequency(x: np.ndarray, fs: float) -> float:
    a = np.asarray(x, dtype=np.float64)
    spec = np.abs(np.fft.rfft(a - a.mean()))
    freqs = np.fft.rfftfreq(a.size, 1.0 / fs)
    return float(freqs[1:][np.argmax(spec[1:])])


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(97)
    for fs, f0 in ((100.0, 3.7), (1000.0, 123.0), (10.0, 0.4)):
        t = np.arange(int(20 * fs)) / fs
        x = 50.0 + np.sin(2 * np.pi * f0 * t) + 0.3 * np.sin(2 * np.pi * 2.3 * f0 * t)
        x += 0.2 * rng.standard_normal(t.size)
        got = fn(x.copy(), fs)
        assert isinstance(got, (float, np.floating)), f"expected a float, got {type(got).__name__}"
        assert abs(float(got) - f0) < 0.06, (
            f"fs={fs}: {float(got):.3f} Hz, expected {f0} Hz (remove the mean; return Hz)"
        )
