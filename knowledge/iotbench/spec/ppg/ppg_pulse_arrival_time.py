"""Pulse arrival time from ECG R-peaks to the following PPG systolic peak."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_pulse_arrival_time",
    "category": "ppg",
    "modality": "ppg",
    "difficulty": "hard",
    "methods": ["find_peaks", "argmax", "butter", "sosfiltfilt", "filtfilt"],
}

FUNCTION = "pulse_arrival_times"
SPEC = """Target: Pulse arrival time per heartbeat: band-pass the PPG 0.5-8 Hz (zero-phase
Butterworth); for each ECG R-peak take the systolic peak as the maximum of the filtered PPG
between 0.1 s and 0.6 s after the R-peak; PAT = peak time - R-peak time in seconds. Beats whose
search window runs past the end of the recording get NaN.

Input Specification:
- r_peaks (np.ndarray): ECG R-peak sample indices, int64, shape (n_beats,).
- ppg (np.ndarray): PPG recorded simultaneously with the ECG, same sampling rate, float64,
  shape (n_samples,).
- fs (float): common sampling rate in Hz.

Output Specification:
- pat_s (np.ndarray): pulse arrival time per R-peak in seconds, float64, shape (n_beats,),
  NaN where undefined.
"""


def pulse_arrival_times(r_peaks: np.ndarray, ppg: np.ndarray, fs: float) -> np.ndarray:
    sos = signal.butter(2, [0.5, 8.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, np.asarray(ppg, dtype=np.float64))
    out = np.full(len(r_peaks), np.nan)
    lo_off, hi_off = round(0.1 * fs), round(0.6 * fs)
    for i, r in enumerate(np.asarray(r_peaks, dtype=np.int64)):
        lo, hi = r + lo_off, r + hi_off
        if hi >= filt.size:
            continue
        out[i] = (lo + int(np.argmax(filt[lo : hi + 1])) - r) / fs
    return out


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(43)
    for fs in (250.0, 125.0):
        duration = 30.0
        t = np.arange(int(duration * fs)) / fs
        beats = np.arange(0.5, duration, 0.85) + rng.normal(
            0, 0.02, np.arange(0.5, duration, 0.85).size
        )
        pat = 0.25 + 0.04 * np.sin(np.arange(beats.size) / 3.0)
        ppg = np.zeros_like(t)
        for b, p in zip(beats, pat, strict=True):
            ppg += np.exp(-0.5 * ((t - b - p) / 0.08) ** 2) + 0.35 * np.exp(
                -0.5 * ((t - b - p - 0.3) / 0.07) ** 2
            )
        ppg += 0.3 * np.sin(2 * np.pi * 0.1 * t) + 0.02 * rng.standard_normal(t.size)
        r_peaks = np.round(beats * fs).astype(np.int64)
        out = fn(r_peaks.copy(), ppg.copy(), fs)
        assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
        assert out.shape == r_peaks.shape, f"shape {out.shape}, expected one PAT per R-peak"
        valid = beats + 0.6 < duration - 1.0 / fs
        got = out.astype(float)
        assert np.all(np.isfinite(got[valid])), "PAT must be defined for beats inside the recording"
        err = np.abs(got[valid] - pat[valid])
        assert np.all(err < 0.03), f"PAT off by up to {err.max() * 1000:.0f} ms (seconds expected)"
        if not valid[-1]:
            assert np.isnan(got[-1]), "the last beat's window runs past the end: NaN expected"
