"""Reference solution: heart rate per 10 s window from systolic-peak intervals (scipy)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import signal


def heart_rate_windows(ppg: np.ndarray, fs: float, window_s: float = 10.0) -> np.ndarray:
    sos = signal.butter(2, [0.5, 4.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, np.asarray(ppg, dtype=np.float64))
    win = round(window_s * fs)
    out = np.full(filt.size // win, np.nan)
    for i in range(out.size):
        seg = filt[i * win : (i + 1) * win]
        peaks, _ = signal.find_peaks(seg, distance=round(0.33 * fs), prominence=0.5 * seg.std())
        if peaks.size >= 3:
            out[i] = 60.0 / float(np.mean(np.diff(peaks) / fs))
    return out


def solve(inputs: dict[str, Any]) -> dict[str, Any]:
    return {"hr_bpm": heart_rate_windows(inputs["ppg"], inputs["fs"])}
