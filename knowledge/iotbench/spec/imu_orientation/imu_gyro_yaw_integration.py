"""Integrate a z-axis gyroscope into a heading angle in degrees."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import integrate

TASK = {
    "id": "imu_gyro_yaw_integration",
    "category": "imu_orientation",
    "modality": "imu",
    "difficulty": "easy",
    "methods": ["cumulative_trapezoid", "cumsum", "degrees"],
}

FUNCTION = "integrate_yaw"
SPEC = """Target: Integrate the z-axis angular rate over time (trapezoidal rule, dt = 1 / fs) into a
heading that starts at 0 and is wrapped to [-180, 180) degrees.

Input Specification:
- gyro_z (np.ndarray): angular rate about z in rad/s, float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- heading_deg (np.ndarray): heading in degrees in [-180, 180), float64, shape (n_samples,).
"""


def integrate_yaw(gyro_z: np.ndarray, fs: float) -> np.ndarray:
    w = np.asarray(gyro_z, dtype=np.float64)
    angle = integrate.cumulative_trapezoid(w, dx=1.0 / fs, initial=0.0)
    return (np.degrees(angle) + 180.0) % 360.0 - 180.0


def check(fn: Callable[..., Any]) -> None:
    for fs in (100.0, 50.0):
        n = int(5 * fs)
        w = np.full(n, np.radians(90.0))  # 90 deg/s for 5 s -> 450 deg -> 90 deg
        out = fn(w.copy(), fs)
        assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
        assert out.shape == (n,), f"shape {out.shape}, expected ({n},)"
        assert abs(float(out[0])) < 1.0, "the heading starts at 0"
        assert np.all(out >= -180.0) and np.all(out < 180.0), "wrap the heading to [-180, 180)"
        expected = (90.0 * np.arange(n) / fs + 180.0) % 360.0 - 180.0
        err = np.abs((out - expected + 180.0) % 360.0 - 180.0)
        assert err.max() < 1.5, f"fs={fs}: heading off by {err.max():.1f} deg (rad/s -> degrees?)"
    t = np.arange(400) / 100.0
    w = np.radians(45.0) * np.sin(2 * np.pi * 0.5 * t)
    out = fn(w, 100.0)
    expected = np.degrees(np.radians(45.0) * (1 - np.cos(2 * np.pi * 0.5 * t)) / (2 * np.pi * 0.5))
    assert np.max(np.abs(out - expected)) < 0.5, "a varying rate must be integrated over time"
