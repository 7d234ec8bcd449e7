"""Remove power-line interference from an ECG with a zero-phase IIR notch filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ecg_powerline_notch",
    "category": "filtering",
    "modality": "ecg",
    "difficulty": "easy",
    "methods": ["iirnotch", "filtfilt"],
}

FUNCTION = "remove_powerline"
SPEC = """Target: Remove power-line interference at mains_hz from an ECG with a second-order IIR
notch filter (quality factor 30) applied forward and backward so that the ECG is not delayed.

Input Specification:
- ecg (np.ndarray): 1-D ECG in millivolts, shape (n_samples,), float64.
- fs (float): sampling rate in Hz.
- mains_hz (float): power-line frequency in Hz, 50.0 or 60.0.

Output Specification:
- clean (np.ndarray): the ECG without the mains component, same shape as ecg, float64.
"""


def remove_powerline(ecg: np.ndarray, fs: float, mains_hz: float) -> np.ndarray:
    b, a = signal.iirnotch(mains_hz, 30.0, fs=fs)
    return np.asarray(signal.filtfilt(b, a, np.asarray(ecg, dtype=np.float64)), dtype=np.float64)


def _amplitude(y: np.ndarray, freq: float, fs: float) -> float:
    t = np.arange(y.size) / fs
    return float(2.0 * np.abs(np.mean(y * np.exp(-2j * np.pi * freq * t))))


def check(fn: Callable[..., Any]) -> None:
    for fs, mains in ((360.0, 50.0), (500.0, 60.0), (250.0, 50.0)):
        t = np.arange(int(10 * fs)) / fs
        keep = np.sin(2 * np.pi * 10.0 * t) + 0.5 * np.sin(2 * np.pi * 1.2 * t)
        x = keep + 0.4 * np.sin(2 * np.pi * mains * t + 0.3)
        y = fn(x.copy(), fs, mains)
        assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
        assert y.shape == x.shape, f"shape {y.shape} != input shape {x.shape}"
        assert np.all(np.isfinite(y)), "output contains NaN or inf"
        mid = slice(int(2 * fs), int(8 * fs))
        am = _amplitude(y[mid], mains, fs)
        assert am < 0.02, f"fs={fs}: {mains} Hz component still {am:.3f} mV (was 0.4)"
        for f0, a0 in ((10.0, 1.0), (1.2, 0.5)):
            got = _amplitude(y[mid], f0, fs)
            assert abs(got - a0) < 0.05 * a0, f"fs={fs}: {f0} Hz amplitude {got:.3f}, expected {a0}"
        err = float(np.max(np.abs(y[mid] - keep[mid])))
        assert err < 0.05, f"fs={fs}: ECG content distorted (max error {err:.3f} mV)"
