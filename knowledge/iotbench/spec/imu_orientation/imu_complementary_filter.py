"""Fuse gyroscope and accelerometer into roll and pitch with a complementary filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "imu_complementary_filter",
    "category": "imu_orientation",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["complementary", "arctan2", "atan2"],
}

FUNCTION = "complementary_filter"
SPEC = """Target: Complementary filter for roll and pitch: angle[k] = alpha * (angle[k-1] +
rate[k] * dt) + (1 - alpha) * accel_angle[k], with roll rate = gyro x, pitch rate = gyro y,
accel roll = atan2(ay, az), accel pitch = atan2(-ax, sqrt(ay^2 + az^2)), dt = 1 / fs, and the
first angle taken from the accelerometer.

Input Specification:
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3), columns ax, ay, az.
- gyro (np.ndarray): angular rates in rad/s, shape (n_samples, 3), columns wx, wy, wz.
- fs (float): sampling rate in Hz.
- alpha (float): gyro weight in (0, 1), typically 0.98.

Output Specification:
- angles_deg (np.ndarray): roll and pitch in degrees, shape (n_samples, 2), float64.
"""


def complementary_filter(acc: np.ndarray, gyro: np.ndarray, fs: float, alpha: float) -> np.ndarray:
    a = np.asarray(acc, dtype=np.float64)
    w = np.asarray(gyro, dtype=np.float64)
    acc_roll = np.arctan2(a[:, 1], a[:, 2])
    acc_pitch = np.arctan2(-a[:, 0], np.hypot(a[:, 1], a[:, 2]))
    out = np.zeros((a.shape[0], 2))
    out[0] = acc_roll[0], acc_pitch[0]
    dt = 1.0 / fs
    for k in range(1, a.shape[0]):
        out[k, 0] = alpha * (out[k - 1, 0] + w[k, 0] * dt) + (1 - alpha) * acc_roll[k]
        out[k, 1] = alpha * (out[k - 1, 1] + w[k, 1] * dt) + (1 - alpha) * acc_pitch[k]
    return np.degrees(out)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(53)
    fs = 100.0
    t = np.arange(int(60 * fs)) / fs
    pitch = np.radians(30.0) * np.sin(2 * np.pi * 0.2 * t)
    pitch_rate = np.radians(30.0) * 2 * np.pi * 0.2 * np.cos(2 * np.pi * 0.2 * t)
    acc = 9.81 * np.column_stack([-np.sin(pitch), 0 * t, np.cos(pitch)])
    acc += rng.normal(0, 0.6, acc.shape)
    gyro = np.column_stack([0 * t, pitch_rate, 0 * t]) + 0.05  # 0.05 rad/s bias on every axis
    gyro += rng.normal(0, 0.01, gyro.shape)
    out = fn(acc.copy(), gyro.copy(), fs, 0.98)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == (t.size, 2), f"shape {out.shape}, expected ({t.size}, 2)"
    settled = slice(int(3 * fs), None)
    err_p = out[settled, 1] - np.degrees(pitch[settled])
    err_r = out[settled, 0]
    rms_p = float(np.sqrt(np.mean(err_p**2)))
    assert rms_p < 2.5, f"pitch RMS error {rms_p:.2f} deg (degrees; gyro bias must not drift)"
    assert float(np.sqrt(np.mean(err_r**2))) < 2.5, "roll should stay near 0 deg"
    acc_only = np.degrees(np.arctan2(-acc[:, 0], np.hypot(acc[:, 1], acc[:, 2])))
    noise_acc = float(np.std(np.diff(acc_only)))
    noise_out = float(np.std(np.diff(out[:, 1])))
    assert noise_out < 0.3 * noise_acc, "output is as noisy as the accelerometer: fuse the gyro"
