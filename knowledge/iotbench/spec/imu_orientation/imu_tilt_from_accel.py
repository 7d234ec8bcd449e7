"""Roll and pitch angles of a static sensor from its accelerometer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "imu_tilt_from_accel",
    "category": "imu_orientation",
    "modality": "imu",
    "difficulty": "easy",
    "methods": ["arctan2", "atan2", "degrees"],
}

FUNCTION = "tilt_angles"
SPEC = """Target: Roll and pitch from gravity measured by a 3-axis accelerometer, per sample:
roll = atan2(ay, az), pitch = atan2(-ax, sqrt(ay^2 + az^2)), both in DEGREES.

Input Specification:
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3), columns ax, ay, az.

Output Specification:
- roll_deg (np.ndarray): roll angle in degrees, float64, shape (n_samples,).
- pitch_deg (np.ndarray): pitch angle in degrees, float64, shape (n_samples,).
"""


def tilt_angles(acc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(acc, dtype=np.float64)
    roll = np.degrees(np.arctan2(a[:, 1], a[:, 2]))
    pitch = np.degrees(np.arctan2(-a[:, 0], np.hypot(a[:, 1], a[:, 2])))
    return roll, pitch


def check(fn: Callable[..., Any]) -> None:
    g = 9.81
    roll = np.radians(np.array([0.0, 30.0, -45.0, 10.0, 120.0]))
    pitch = np.radians(np.array([0.0, 10.0, 20.0, -60.0, 5.0]))
    acc = g * np.column_stack(
        [-np.sin(pitch), np.sin(roll) * np.cos(pitch), np.cos(roll) * np.cos(pitch)]
    )
    out = fn(acc.copy())
    assert isinstance(out, tuple) and len(out) == 2, "return (roll_deg, pitch_deg)"
    r, p = np.asarray(out[0], dtype=float), np.asarray(out[1], dtype=float)
    assert r.shape == (5,) and p.shape == (5,), f"shapes {r.shape}, {p.shape}; expected (5,) each"
    assert np.allclose(r, np.degrees(roll), atol=0.1), (
        f"roll {np.round(r, 1)} deg, expected degrees"
    )
    assert np.allclose(p, np.degrees(pitch), atol=0.1), f"pitch {np.round(p, 1)} deg"
