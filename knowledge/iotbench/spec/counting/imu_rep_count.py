"""Count exercise repetitions from a wrist gyroscope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "imu_rep_count",
    "category": "counting",
    "modality": "imu",
    "difficulty": "hard",
    "methods": ["pca", "svd", "find_peaks", "welch", "butter", "autocorrelation"],
}

FUNCTION = "count_repetitions"
SPEC = """Target: Count exercise repetitions in one recorded set: project the mean-removed 3-axis
gyroscope onto its first principal component, band-pass 0.1-2 Hz (zero-phase Butterworth),
estimate the repetition frequency as the Welch-PSD peak in 0.1-2 Hz, then count peaks of the
filtered signal with scipy.signal.find_peaks (distance 0.6 / frequency seconds, prominence
max(0.3 * standard deviation, 0.1 rad/s) so that a sensor at rest counts nothing).

Input Specification:
- gyro (np.ndarray): angular rates in rad/s, shape (n_samples, 3).
- fs (float): sampling rate in Hz.

Output Specification:
- n_reps (int): number of repetitions in the set.
"""


def count_repetitions(gyro: np.ndarray, fs: float) -> int:
    g = np.asarray(gyro, dtype=np.float64)
    g = g - g.mean(axis=0)
    _, _, vt = np.linalg.svd(g, full_matrices=False)
    pc = g @ vt[0]
    sos = signal.butter(2, [0.1, 2.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, pc)
    f, p = signal.welch(filt, fs=fs, nperseg=min(filt.size, round(20 * fs)), nfft=8192)
    band = (f >= 0.1) & (f <= 2.0)
    freq = float(f[band][np.argmax(p[band])])
    peaks, _ = signal.find_peaks(
        filt, distance=max(1, round(0.6 * fs / freq)), prominence=max(0.3 * filt.std(), 0.1)
    )
    return int(peaks.size)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(67)
    for fs, reps, period in ((50.0, 12, 2.5), (100.0, 20, 1.6), (50.0, 8, 3.5)):
        durations = period * rng.uniform(0.85, 1.15, reps)
        t_edges = np.concatenate([[1.0], 1.0 + np.cumsum(durations)])
        total = t_edges[-1] + 1.5
        t = np.arange(int(total * fs)) / fs
        phase = np.interp(
            t, t_edges, 2 * np.pi * np.arange(reps + 1), left=0.0, right=2 * np.pi * reps
        )
        motion = np.where((t >= t_edges[0]) & (t <= t_edges[-1]), np.sin(phase), 0.0)
        axis = rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        gyro = 1.5 * np.outer(motion, axis) + rng.normal(0, 0.15, (t.size, 3)) + [0.02, -0.01, 0.03]
        got = fn(gyro.copy(), fs)
        assert isinstance(got, (int, np.integer)), f"expected an int, got {type(got).__name__}"
        assert abs(int(got) - reps) <= 1, (
            f"fs={fs}: counted {int(got)} repetitions, expected {reps}"
        )
    still = rng.normal(0, 0.02, (1000, 3))
    assert int(fn(still, 50.0)) <= 3, "a sensor at rest must count (almost) no repetitions"
