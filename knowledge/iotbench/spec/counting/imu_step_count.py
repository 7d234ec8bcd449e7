"""Count walking steps from a wrist accelerometer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "imu_step_count",
    "category": "counting",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["find_peaks", "butter", "sosfiltfilt", "filtfilt"],
}

FUNCTION = "count_steps"
SPEC = """Target: Count steps: acceleration magnitude sqrt(ax^2 + ay^2 + az^2), zero-phase
Butterworth
band-pass 0.5-3 Hz, then scipy.signal.find_peaks with a minimum distance of 0.3 s (in samples) and
a minimum peak height of 0.5 m/s^2 (so that a resting sensor counts 0 steps).

Input Specification:
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3), gravity included.
- fs (float): sampling rate in Hz.

Output Specification:
- n_steps (int): number of steps.
"""


def count_steps(acc: np.ndarray, fs: float) -> int:
    mag = np.linalg.norm(np.asarray(acc, dtype=np.float64), axis=1)
    sos = signal.butter(2, [0.5, 3.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, mag)
    peaks, _ = signal.find_peaks(filt, distance=max(1, round(0.3 * fs)), height=0.5)
    return int(peaks.size)


def _walk(fs: float, cadence_hz: float, seconds: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(seconds * fs)) / fs
    phase = 2 * np.pi * cadence_hz * t + 0.2 * np.sin(2 * np.pi * 0.05 * t)
    vertical = 2.5 * np.sin(phase) + 0.8 * np.sin(2 * phase + 0.4)
    g = np.array([1.0, 3.0, 9.2])
    acc = np.tile(g, (t.size, 1)) + np.outer(vertical, g / np.linalg.norm(g))
    acc[:, 0] += 0.7 * np.sin(phase / 2)  # arm swing at half the step rate
    return acc + rng.normal(0, 0.25, acc.shape)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(61)
    for fs, cadence, seconds in ((50.0, 1.8, 60.0), (100.0, 2.2, 30.0), (25.0, 1.5, 40.0)):
        acc = _walk(fs, cadence, seconds, rng)
        got = fn(acc.copy(), fs)
        assert isinstance(got, (int, np.integer)), f"expected an int, got {type(got).__name__}"
        expected = cadence * seconds
        assert abs(int(got) - expected) <= 0.05 * expected + 1, (
            f"fs={fs}: {int(got)} steps, expected about {expected:.0f}"
        )
    rest = np.tile([0.3, 0.2, 9.8], ((30 * 50), 1)) + rng.normal(0, 0.05, (1500, 3))
    assert int(fn(rest, 50.0)) <= 2, "a resting sensor must count (almost) no steps"
