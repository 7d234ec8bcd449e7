"""Separate gravity from body acceleration with a low-pass filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "imu_gravity_removal",
    "category": "imu_orientation",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["butter", "sosfiltfilt", "filtfilt"],
}

FUNCTION = "remove_gravity"
SPEC = """Target: Estimate the gravity component of each accelerometer axis with an order-2
zero-phase
Butterworth low-pass at 0.3 Hz (along time) and return it together with the linear (body)
acceleration = acc - gravity.

Input Specification:
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3), rows are time.
- fs (float): sampling rate in Hz.

Output Specification:
- linear (np.ndarray): body acceleration in m/s^2, shape (n_samples, 3), float64.
- gravity (np.ndarray): gravity estimate in m/s^2, shape (n_samples, 3), float64.
"""


def remove_gravity(acc: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(acc, dtype=np.float64)
    sos = signal.butter(2, 0.3, btype="lowpass", fs=fs, output="sos")
    gravity = signal.sosfiltfilt(sos, a, axis=0)
    return a - gravity, gravity


def check(fn: Callable[..., Any]) -> None:
    fs = 50.0
    t = np.arange(int(60 * fs)) / fs
    tilt = np.radians(25.0)
    grav = 9.81 * np.array([0.0, np.sin(tilt), np.cos(tilt)])
    motion = np.column_stack(
        [
            1.5 * np.sin(2 * np.pi * 2.0 * t),
            0.8 * np.sin(2 * np.pi * 1.5 * t),
            0.5 * np.sin(2 * np.pi * 3.0 * t),
        ]
    )
    acc = grav[None, :] + motion
    out = fn(acc.copy(), fs)
    assert isinstance(out, tuple) and len(out) == 2, "return (linear, gravity)"
    lin, g = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
    assert lin.shape == acc.shape and g.shape == acc.shape, (
        f"shapes {lin.shape}, {g.shape}; expected {acc.shape} (filter along time, axis 0)"
    )
    mid = slice(int(10 * fs), int(50 * fs))
    assert np.max(np.abs(g[mid] - grav)) < 0.1, "gravity estimate is not the slow component"
    assert np.max(np.abs(lin[mid] - motion[mid])) < 0.15, "linear acceleration is wrong"
    assert np.allclose(lin + g, acc, atol=1e-9), "linear + gravity must equal the input"
