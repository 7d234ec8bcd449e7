"""Reference solution: a Pan-Tompkins detector (scipy) written for this benchmark.

It shows the task is solvable; it is independent of the consensus reference only in part (a
similar detector votes in derive.py), which DATA.md states.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import signal


def detect_r_peaks(ecg: np.ndarray, fs: float) -> np.ndarray:
    x = np.asarray(ecg, dtype=np.float64)
    sos = signal.butter(2, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, x)
    integ = np.convolve(np.gradient(filt) ** 2, np.ones(round(0.15 * fs)), mode="same")
    refractory = round(0.2 * fs)
    candidates, _ = signal.find_peaks(integ, distance=refractory)
    spk, npk = (
        0.25 * float(integ[: round(2 * fs)].max()),
        0.5 * float(integ[: round(2 * fs)].mean()),
    )
    beats: list[int] = []
    half = round(0.1 * fs)
    for c in candidates:
        if integ[c] > npk + 0.25 * (spk - npk):
            spk = 0.125 * float(integ[c]) + 0.875 * spk
            lo, hi = max(0, c - half), min(x.size, c + half + 1)
            r = lo + int(np.argmax(np.abs(filt[lo:hi])))
            if not beats or r - beats[-1] >= refractory:
                beats.append(r)
        else:
            npk = 0.125 * float(integ[c]) + 0.875 * npk
    return np.asarray(beats, dtype=np.int64)


def solve(inputs: dict[str, Any]) -> dict[str, Any]:
    return {"r_peaks": detect_r_peaks(inputs["ecg"], inputs["fs"])}
