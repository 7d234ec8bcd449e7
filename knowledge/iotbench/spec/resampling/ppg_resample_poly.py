"""Resample a PPG signal to a new sampling rate with polyphase filtering."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_resample_poly",
    "category": "resampling",
    "modality": "ppg",
    "difficulty": "easy",
    "methods": ["resample_poly", "resample"],
}

FUNCTION = "resample_ppg"
SPEC = """Target: Resample a PPG signal from fs_in to fs_out Hz with polyphase anti-aliasing
filtering
(scipy.signal.resample_poly with up/down from the rational ratio fs_out / fs_in).

Input Specification:
- ppg (np.ndarray): 1-D PPG samples (arbitrary units), shape (n_samples,), float64.
- fs_in (float): original sampling rate in Hz.
- fs_out (float): target sampling rate in Hz.

Output Specification:
- resampled (np.ndarray): PPG at fs_out, shape (ceil(n_samples * fs_out / fs_in),), float64.
"""


def resample_ppg(ppg: np.ndarray, fs_in: float, fs_out: float) -> np.ndarray:
    ratio = Fraction(fs_out / fs_in).limit_denominator(1000)
    y = signal.resample_poly(np.asarray(ppg, dtype=np.float64), ratio.numerator, ratio.denominator)
    return np.asarray(y, dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    for fs_in, fs_out in ((100.0, 64.0), (125.0, 25.0), (25.0, 100.0), (128.0, 100.0)):
        n = int(30 * fs_in)
        t = np.arange(n) / fs_in
        x = np.sin(2 * np.pi * 1.2 * t) + 0.3 * np.sin(2 * np.pi * 2.4 * t + 1.0)
        y = fn(x.copy(), fs_in, fs_out)
        assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
        expected_len = int(np.ceil(n * fs_out / fs_in))
        assert y.ndim == 1 and abs(y.size - expected_len) <= 1, (
            f"{fs_in}->{fs_out} Hz: {y.size} samples, expected {expected_len}"
        )
        t2 = np.arange(y.size) / fs_out
        ref = np.sin(2 * np.pi * 1.2 * t2) + 0.3 * np.sin(2 * np.pi * 2.4 * t2 + 1.0)
        mid = slice(int(3 * fs_out), int(27 * fs_out))
        err = float(np.max(np.abs(y[mid] - ref[mid])))
        assert err < 0.03, f"{fs_in}->{fs_out} Hz: waveform distorted (max error {err:.3f})"
