"""Power spectral density of a sensor signal with Welch's method."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "env_welch_psd",
    "category": "spectral",
    "modality": "environmental",
    "difficulty": "easy",
    "methods": ["welch"],
}

FUNCTION = "welch_psd"
SPEC = """Target: One-sided power spectral density of a vibration or pressure sensor signal with
Welch's method (scipy.signal.welch): Hann window of nperseg samples, 50 % overlap, mean removed
per segment, density scaling.

Input Specification:
- x (np.ndarray): 1-D sensor signal, float64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- nperseg (int): segment length in samples, e.g. 256.

Output Specification:
- freqs_hz (np.ndarray): frequencies in Hz, shape (nperseg // 2 + 1,), float64.
- psd (np.ndarray): power spectral density in (units of x)^2 / Hz, shape (nperseg // 2 + 1,).
"""


def welch_psd(x: np.ndarray, fs: float, nperseg: int) -> tuple[np.ndarray, np.ndarray]:
    f, p = signal.welch(np.asarray(x, dtype=np.float64), fs=fs, window="hann", nperseg=nperseg)
    return f, p


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(101)
    for fs, nperseg, f0 in ((200.0, 256, 25.0), (1000.0, 512, 120.0)):
        t = np.arange(int(30 * fs)) / fs
        x = 3.0 + 2.0 * np.sin(2 * np.pi * f0 * t) + 0.5 * rng.standard_normal(t.size)
        out = fn(x.copy(), fs, nperseg)
        assert isinstance(out, tuple) and len(out) == 2, "return (freqs_hz, psd)"
        f, p = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
        n_bins = nperseg // 2 + 1
        assert f.shape == (n_bins,) and p.shape == (n_bins,), (
            f"shapes {f.shape}, {p.shape}; expected ({n_bins},) (nperseg samples per segment)"
        )
        assert abs(f[1] - fs / nperseg) < 1e-9 and abs(f[-1] - fs / 2) < 1e-9, "frequencies in Hz"
        assert abs(f[int(np.argmax(p))] - f0) <= fs / nperseg, "PSD peak at the wrong frequency"
        power = float(np.trapezoid(p, f))
        expected = 2.0**2 / 2 + 0.5**2
        assert abs(power - expected) < 0.15 * expected, (
            f"integrated PSD {power:.3f}, expected the AC variance {expected:.3f} (density scaling)"
        )
