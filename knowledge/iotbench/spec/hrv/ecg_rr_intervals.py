"""Convert R-peak sample indices into R-R intervals in seconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "ecg_rr_intervals",
    "category": "hrv",
    "modality": "ecg",
    "difficulty": "easy",
    "methods": ["diff"],
}

FUNCTION = "rr_intervals"
SPEC = """Target: Compute R-R intervals in SECONDS from R-peak sample indices: np.diff(r_peaks) /
fs.

Input Specification:
- r_peaks (np.ndarray): R-peak sample indices, increasing, int64, shape (n_beats,).
- fs (float): sampling rate in Hz of the ECG the indices refer to.

Output Specification:
- rr_s (np.ndarray): R-R intervals in seconds, float64, shape (n_beats - 1,); empty when
  fewer than two beats.
"""


def rr_intervals(r_peaks: np.ndarray, fs: float) -> np.ndarray:
    return np.diff(np.asarray(r_peaks, dtype=np.float64)) / float(fs)


def check(fn: Callable[..., Any]) -> None:
    peaks = np.array([100, 388, 676, 950, 1240, 1530], dtype=np.int64)
    for fs in (360.0, 250.0):
        rr = fn(peaks.copy(), fs)
        assert isinstance(rr, np.ndarray), f"expected np.ndarray, got {type(rr).__name__}"
        assert rr.shape == (peaks.size - 1,), f"shape {rr.shape}, expected ({peaks.size - 1},)"
        expected = np.diff(peaks) / fs
        assert np.allclose(rr, expected), (
            f"fs={fs}: got {np.round(rr, 4).tolist()}, "
            f"expected seconds {np.round(expected, 4).tolist()}"
        )
        assert np.issubdtype(rr.dtype, np.floating), "R-R intervals must be float seconds"
    one = np.asarray(fn(np.array([42], dtype=np.int64), 360.0))
    assert one.size == 0, "one beat gives no R-R interval (empty array)"
