"""Label premature beats from R-R timing (short coupling interval + compensatory pause)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "ecg_premature_beats",
    "category": "classification",
    "modality": "ecg",
    "difficulty": "hard",
    "methods": ["median", "diff", "median_filter"],
}

FUNCTION = "label_premature_beats"
SPEC = """Target: Label each beat as premature (1) or normal (0) from R-R timing: with R-R intervals
in
seconds and a local reference = median of the R-R intervals in a centred window of 9 intervals
(truncated at the ends), beat i is premature when the interval before it is < 0.85 * reference
and the interval after it is > 1.1 * reference (compensatory pause). The first and last beats
are normal.

Input Specification:
- r_peaks (np.ndarray): R-peak sample indices, increasing, int64, shape (n_beats,).
- fs (float): sampling rate in Hz.

Output Specification:
- labels (np.ndarray): 1 for premature and 0 for normal beats, int64, shape (n_beats,).
"""


def label_premature_beats(r_peaks: np.ndarray, fs: float) -> np.ndarray:
    rr = np.diff(np.asarray(r_peaks, dtype=np.float64)) / fs
    ref = np.array([np.median(rr[max(0, i - 4) : i + 5]) for i in range(rr.size)])
    labels = np.zeros(len(r_peaks), dtype=np.int64)
    for i in range(1, len(r_peaks) - 1):
        if rr[i - 1] < 0.85 * ref[i - 1] and rr[i] > 1.1 * ref[i]:
            labels[i] = 1
    return labels


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(157)
    fs = 360.0
    n = 300
    base = np.linspace(1.0, 0.6, n) + rng.normal(0, 0.01, n)  # heart rate 60 -> 100 bpm
    rr = base.copy()
    pvc = np.array([20, 75, 140, 141, 200, 260])  # beat index = interval index + 1
    pvc = pvc[np.diff(np.concatenate([[-5], pvc])) > 2]
    for i in pvc:
        rr[i - 1] = 0.65 * base[i - 1]
        rr[i] = base[i] + 0.35 * base[i - 1]
    beats = np.concatenate([[0.5], 0.5 + np.cumsum(rr)])
    peaks = np.round(beats * fs).astype(np.int64)
    out = fn(peaks.copy(), fs)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == peaks.shape, f"shape {out.shape}, expected one label per beat {peaks.shape}"
    truth = np.zeros(peaks.size, dtype=np.int64)
    truth[pvc] = 1
    missed = np.flatnonzero((truth == 1) & (out != 1))
    extra = np.flatnonzero((truth == 0) & (out != 0))
    assert missed.size == 0, f"premature beats not labelled: {missed.tolist()}"
    assert extra.size == 0, (
        f"normal beats labelled premature: {extra.tolist()} (use a local R-R reference)"
    )
