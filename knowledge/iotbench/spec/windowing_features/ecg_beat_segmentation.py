"""Cut fixed-length heartbeat segments around R-peaks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "ecg_beat_segmentation",
    "category": "windowing_features",
    "modality": "ecg",
    "difficulty": "medium",
    "methods": ["round", "stack", "slicing"],
}

FUNCTION = "segment_beats"
SPEC = """Target: Extract one segment per R-peak from pre_s seconds before to post_s seconds after
the peak (round(pre_s * fs) samples before, round(post_s * fs) samples after, the peak sample
included); beats whose segment would leave the signal are skipped.

Input Specification:
- ecg (np.ndarray): 1-D ECG in millivolts, shape (n_samples,).
- r_peaks (np.ndarray): R-peak sample indices, int64, shape (n_beats,).
- fs (float): sampling rate in Hz.
- pre_s (float): seconds before the R-peak, e.g. 0.25.
- post_s (float): seconds after the R-peak, e.g. 0.45.

Output Specification:
- beats (np.ndarray): segments, shape (n_kept, round(pre_s*fs) + round(post_s*fs) + 1), float64.
- kept (np.ndarray): indices into r_peaks of the beats that were kept, int64, shape (n_kept,).
"""


def segment_beats(
    ecg: np.ndarray, r_peaks: np.ndarray, fs: float, pre_s: float, post_s: float
) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(ecg, dtype=np.float64)
    pre, post = round(pre_s * fs), round(post_s * fs)
    kept = [i for i, r in enumerate(np.asarray(r_peaks)) if r - pre >= 0 and r + post < x.size]
    beats = [x[int(r_peaks[i]) - pre : int(r_peaks[i]) + post + 1] for i in kept]
    width = pre + post + 1
    out = np.stack(beats) if beats else np.empty((0, width))
    return out, np.asarray(kept, dtype=np.int64)


def check(fn: Callable[..., Any]) -> None:
    fs = 360.0
    x = np.sin(np.arange(3600) / 7.0)
    peaks = np.array([50, 400, 900, 1500, 2200, 3000, 3500], dtype=np.int64)
    out = fn(x.copy(), peaks.copy(), fs, 0.25, 0.45)
    assert isinstance(out, tuple) and len(out) == 2, "return (beats, kept)"
    beats, kept = np.asarray(out[0]), np.asarray(out[1])
    pre, post = 90, 162
    assert beats.shape == (5, pre + post + 1), (
        f"beats shape {beats.shape}, expected (5, {pre + post + 1}) (seconds -> samples; skip "
        "beats too close to the edges)"
    )
    assert kept.tolist() == [1, 2, 3, 4, 5], f"kept {kept.tolist()}, expected [1, 2, 3, 4, 5]"
    for row, k in zip(beats, kept, strict=True):
        r = int(peaks[k])
        assert np.allclose(row, x[r - pre : r + post + 1]), "segment not aligned on its R-peak"
