"""Heart rate per sliding window of a PPG, NaN where the sensor signal is missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_windowed_hr",
    "category": "ppg",
    "modality": "ppg",
    "difficulty": "hard",
    "methods": ["find_peaks", "butter", "sosfiltfilt", "filtfilt", "sliding_window_view"],
}

FUNCTION = "windowed_heart_rate"
SPEC = """Target: Heart rate per sliding window of a PPG. Band-pass 0.5-4 Hz (zero-phase
Butterworth) once over the whole recording; windows of window_s seconds start every step_s
seconds from 0 (only complete windows). A window is invalid (NaN) when the standard deviation of
its filtered signal is below 0.2 times the median of the window standard deviations (sensor off)
or it has fewer than 3 peaks; otherwise HR = 60 / median peak-to-peak interval in seconds, peaks
from scipy.signal.find_peaks (distance 0.33 s, prominence 0.5 * the window standard deviation).

Input Specification:
- ppg (np.ndarray): 1-D PPG samples, float64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- window_s (float): window length in seconds, e.g. 8.0.
- step_s (float): hop between window starts in seconds, e.g. 2.0.

Output Specification:
- hr_bpm (np.ndarray): heart rate per window in beats per minute, float64, shape (n_windows,)
  with n_windows = floor((n_samples / fs - window_s) / step_s) + 1; NaN for invalid windows.
"""


def windowed_heart_rate(ppg: np.ndarray, fs: float, window_s: float, step_s: float) -> np.ndarray:
    sos = signal.butter(2, [0.5, 4.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, np.asarray(ppg, dtype=np.float64))
    win, step = round(window_s * fs), round(step_s * fs)
    n_win = int(np.floor((filt.size / fs - window_s) / step_s)) + 1
    segments = [filt[i * step : i * step + win] for i in range(n_win)]
    stds = np.array([s.std() for s in segments])
    floor = 0.2 * float(np.median(stds))
    out = np.full(n_win, np.nan)
    for i, seg in enumerate(segments):
        if stds[i] < floor:
            continue
        peaks, _ = signal.find_peaks(
            seg, distance=max(1, round(0.33 * fs)), prominence=0.5 * stds[i]
        )
        if peaks.size >= 3:
            out[i] = 60.0 / float(np.median(np.diff(peaks) / fs))
    return out


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(47)
    fs, duration = 50.0, 120.0
    t = np.arange(int(duration * fs)) / fs

    def hr_at(x: float) -> float:
        return 60.0 + 60.0 * x / duration  # 60 -> 120 bpm ramp

    beats, b = [], 0.3
    while b < duration:
        beats.append(b)
        b += 60.0 / hr_at(b)
    ppg = np.zeros_like(t)
    for b in beats:
        lo, hi = np.searchsorted(t, [b - 0.4, b + 0.8])
        seg = t[lo:hi] - b
        ppg[lo:hi] += np.exp(-0.5 * (seg / 0.09) ** 2) + 0.3 * np.exp(
            -0.5 * ((seg - 0.3) / 0.08) ** 2
        )
    ppg += 0.02 * rng.standard_normal(t.size)
    off = (t >= 50.0) & (t < 72.0)
    ppg[off] = 0.3 + 0.002 * rng.standard_normal(int(off.sum()))  # finger lifted
    out = fn(ppg.copy(), fs, 8.0, 2.0)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    n_win = int(np.floor((duration - 8.0) / 2.0)) + 1
    assert out.shape == (n_win,), f"shape {out.shape}, expected ({n_win},) windows"
    for i in range(n_win):
        start, end = 2.0 * i, 2.0 * i + 8.0
        if start >= 50.0 and end <= 72.0:
            assert np.isnan(out[i]), (
                f"window {i} ({start:.0f}-{end:.0f} s) has no pulse: NaN expected"
            )
        elif end <= 49.0 or start >= 73.0:
            exp = hr_at(start + 4.0)
            assert abs(out[i] - exp) < 4.0, (
                f"window {i}: {out[i]:.1f} bpm, expected about {exp:.1f}"
            )
