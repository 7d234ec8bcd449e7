"""Detect R-peaks in a single-lead ECG with a Pan-Tompkins style detector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ecg_pan_tompkins_rpeaks",
    "category": "peak_detection",
    "modality": "ecg",
    "difficulty": "hard",
    "methods": ["pan_tompkins", "butter", "find_peaks", "sosfiltfilt", "filtfilt", "convolve"],
}

FUNCTION = "detect_r_peaks"
SPEC = """Target: Detect R-peaks with the Pan-Tompkins method: 5-15 Hz band-pass, derivative,
squaring, 150 ms moving-window integration, adaptive thresholds (signal and noise peak levels)
and a 200 ms refractory period; report each R-peak at the maximum of the band-passed ECG near
the detected QRS complex.

Input Specification:
- ecg (np.ndarray): 1-D ECG in millivolts, shape (n_samples,), float64, with baseline wander and
  noise.
- fs (float): sampling rate in Hz (for example 250 or 360).

Output Specification:
- r_peaks (np.ndarray): sample indices of the R-peaks, increasing, int64, shape (n_beats,).
"""


def detect_r_peaks(ecg: np.ndarray, fs: float) -> np.ndarray:
    x = np.asarray(ecg, dtype=np.float64)
    sos = signal.butter(2, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, x)
    integ = np.convolve(np.gradient(filt) ** 2, np.ones(max(1, round(0.15 * fs))), mode="same")
    refractory = max(1, round(0.2 * fs))
    candidates, _ = signal.find_peaks(integ, distance=refractory)
    learn = integ[: round(2 * fs)]
    spk, npk = 0.25 * float(learn.max()), 0.5 * float(learn.mean())
    beats: list[int] = []
    half = round(0.1 * fs)
    for c in candidates:
        if integ[c] > npk + 0.25 * (spk - npk):
            spk = 0.125 * float(integ[c]) + 0.875 * spk
            lo, hi = max(0, c - half), min(x.size, c + half + 1)
            r = lo + int(np.argmax(filt[lo:hi]))
            if not beats or r - beats[-1] >= refractory:
                beats.append(r)
        else:
            npk = 0.125 * float(integ[c]) + 0.875 * npk
    return np.asarray(beats, dtype=np.int64)


def _synthetic_ecg(
    fs: float, beat_times: np.ndarray, duration: float, rng: np.random.Generator
) -> np.ndarray:
    t = np.arange(int(duration * fs)) / fs
    ecg = np.zeros_like(t)
    waves = (
        (-0.2, 0.025, 0.15),
        (-0.03, 0.01, -0.12),
        (0.0, 0.011, 1.2),
        (0.03, 0.01, -0.25),
        (0.25, 0.04, 0.3),
    )
    for bt in beat_times:
        amp = rng.uniform(0.7, 1.3)
        lo, hi = np.searchsorted(t, [bt - 0.4, bt + 0.5])
        for off, width, a in waves:
            ecg[lo:hi] += amp * a * np.exp(-0.5 * ((t[lo:hi] - bt - off) / width) ** 2)
    ecg += 0.4 * np.sin(2 * np.pi * 0.15 * t) + 0.05 * np.sin(2 * np.pi * 50 * t)
    return ecg + 0.03 * rng.standard_normal(t.size)


def _match(detected_s: np.ndarray, truth_s: np.ndarray, tol: float) -> tuple[float, float]:
    used = np.zeros(detected_s.size, dtype=bool)
    hits = 0
    for b in truth_s:
        if detected_s.size == 0:
            break
        d = np.abs(detected_s - b)
        d[used] = np.inf
        j = int(np.argmin(d))
        if d[j] <= tol:
            used[j] = True
            hits += 1
    precision = hits / max(detected_s.size, 1)
    recall = hits / max(truth_s.size, 1)
    return precision, recall


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(42)
    for fs, hr in ((360.0, 72.0), (250.0, 110.0), (500.0, 50.0)):
        duration = 40.0
        rr = 60.0 / hr * (1 + 0.08 * np.sin(np.arange(200) / 5.0)) + rng.normal(0, 0.01, 200)
        beats = 0.7 + np.cumsum(np.concatenate([[0.0], rr]))
        beats = beats[beats < duration - 0.7]
        ecg = _synthetic_ecg(fs, beats, duration, rng)
        peaks = fn(ecg.copy(), fs)
        assert isinstance(peaks, np.ndarray), f"expected np.ndarray, got {type(peaks).__name__}"
        assert peaks.ndim == 1, f"r_peaks must be 1-D, got shape {peaks.shape}"
        assert np.issubdtype(peaks.dtype, np.integer), (
            f"r_peaks must be integer sample indices, got {peaks.dtype}"
        )
        assert np.all(np.diff(peaks) > 0), "r_peaks must be strictly increasing"
        assert peaks.size == 0 or (peaks.min() >= 0 and peaks.max() < ecg.size), (
            "index out of range"
        )
        precision, recall = _match(peaks / fs, beats, 0.05)
        assert recall >= 0.97, f"fs={fs}, {hr} bpm: recall {recall:.2f} within 50 ms (< 0.97)"
        assert precision >= 0.97, f"fs={fs}, {hr} bpm: precision {precision:.2f} (< 0.97)"
