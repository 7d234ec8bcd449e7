"""Band-pass filter a single-lead ECG between 5 and 15 Hz with a zero-phase Butterworth filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ecg_bandpass_filter",
    "category": "filtering",
    "modality": "ecg",
    "difficulty": "easy",
    "methods": ["butter", "sosfiltfilt", "filtfilt"],
}

FUNCTION = "bandpass_ecg"
SPEC = """Target: Band-pass filter a single-lead ECG between 5 and 15 Hz with an order-2 Butterworth
filter applied forward and backward (zero phase, no delay), as in the first stage of Pan-Tompkins.

Input Specification:
- ecg (np.ndarray): 1-D ECG signal in millivolts, shape (n_samples,), float64.
- fs (float): sampling rate of ecg in Hz (for example 250, 360 or 1000).

Output Specification:
- filtered (np.ndarray): the band-passed ECG in millivolts, same shape as ecg, float64.
"""


def bandpass_ecg(ecg: np.ndarray, fs: float) -> np.ndarray:
    sos = signal.butter(2, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    return np.asarray(signal.sosfiltfilt(sos, np.asarray(ecg, dtype=np.float64)), dtype=np.float64)


def _amplitude(y: np.ndarray, freq: float, fs: float) -> float:
    t = np.arange(y.size) / fs
    return float(2.0 * np.abs(np.mean(y * np.exp(-2j * np.pi * freq * t))))


def check(fn: Callable[..., Any]) -> None:
    for fs in (360.0, 1000.0, 250.0):
        t = np.arange(int(12 * fs)) / fs
        passband = np.sin(2 * np.pi * 10.0 * t)
        x = passband + 2.0 * np.sin(2 * np.pi * 0.3 * t) + 0.5 * np.sin(2 * np.pi * 50.0 * t)
        y = fn(x.copy(), fs)
        assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
        assert y.shape == x.shape, f"shape {y.shape} != input shape {x.shape}"
        assert np.all(np.isfinite(y)), "output contains NaN or inf"
        mid = slice(int(2 * fs), int(10 * fs))
        a10 = _amplitude(y[mid], 10.0, fs)
        assert 0.75 < a10 < 1.1, f"fs={fs}: 10 Hz (pass band) amplitude {a10:.3f}, expected ~1"
        a03 = _amplitude(y[mid], 0.3, fs)
        assert a03 < 0.05, f"fs={fs}: 0.3 Hz baseline wander not removed (amplitude {a03:.3f})"
        a50 = _amplitude(y[mid], 50.0, fs)
        assert a50 < 0.06, f"fs={fs}: 50 Hz not attenuated (amplitude {a50:.3f})"
        lags = np.arange(-10, 11)
        seg, ref = y[mid], passband[mid]
        corr = [float(np.dot(np.roll(seg, -k), ref)) for k in lags]
        lag = int(lags[int(np.argmax(corr))])
        assert abs(lag) <= 1, (
            f"fs={fs}: output delayed by {lag} samples; the filter must be zero-phase"
        )
