"""Orientation quaternions from gyroscope and accelerometer with the Madgwick filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "imu_madgwick_quaternion",
    "category": "imu_orientation",
    "modality": "imu",
    "difficulty": "hard",
    "methods": ["madgwick", "quaternion", "gradient_descent"],
}

FUNCTION = "madgwick_filter"
SPEC = """Target: Madgwick IMU filter (gyroscope + accelerometer, no magnetometer) with gain beta,
starting from the identity quaternion: integrate q_dot = 0.5 * q (x) (0, w) minus beta times the
normalised gradient of the gravity error, normalise q each step, dt = 1 / fs. The quaternion
[w, x, y, z] (Hamilton) rotates sensor-frame vectors into the earth frame (z up), so a static
accelerometer reading rotated by q points along +z.

Input Specification:
- gyro (np.ndarray): angular rates in rad/s, shape (n_samples, 3).
- acc (np.ndarray): accelerations in m/s^2, shape (n_samples, 3).
- fs (float): sampling rate in Hz.
- beta (float): filter gain, typically 0.1.

Output Specification:
- quats (np.ndarray): unit quaternions [w, x, y, z] per sample, shape (n_samples, 4), float64.
"""


def madgwick_filter(gyro: np.ndarray, acc: np.ndarray, fs: float, beta: float) -> np.ndarray:
    w_all = np.asarray(gyro, dtype=np.float64)
    a_all = np.asarray(acc, dtype=np.float64)
    dt = 1.0 / fs
    q = np.array([1.0, 0.0, 0.0, 0.0])
    out = np.zeros((w_all.shape[0], 4))
    for k in range(w_all.shape[0]):
        q0, q1, q2, q3 = q
        gx, gy, gz = w_all[k]
        q_dot = 0.5 * np.array(
            [
                -q1 * gx - q2 * gy - q3 * gz,
                q0 * gx + q2 * gz - q3 * gy,
                q0 * gy - q1 * gz + q3 * gx,
                q0 * gz + q1 * gy - q2 * gx,
            ]
        )
        norm_a = np.linalg.norm(a_all[k])
        if norm_a > 0:
            ax, ay, az = a_all[k] / norm_a
            f = np.array(
                [
                    2 * (q1 * q3 - q0 * q2) - ax,
                    2 * (q0 * q1 + q2 * q3) - ay,
                    2 * (0.5 - q1 * q1 - q2 * q2) - az,
                ]
            )
            jac = np.array(
                [
                    [-2 * q2, 2 * q3, -2 * q0, 2 * q1],
                    [2 * q1, 2 * q0, 2 * q3, 2 * q2],
                    [0.0, -4 * q1, -4 * q2, 0.0],
                ]
            )
            grad = jac.T @ f
            norm_g = np.linalg.norm(grad)
            if norm_g > 0:
                q_dot -= beta * grad / norm_g
        q = q + q_dot * dt
        q /= np.linalg.norm(q)
        out[k] = q
    return out


def _rotate(q: np.ndarray, v: np.ndarray) -> np.ndarray:
    w, x, y, z = q
    r = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
    return r @ v


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(59)
    fs = 100.0
    # 1) static tilt: the filter must converge so that gravity maps to +z
    n = int(20 * fs)
    roll, pitch = np.radians(20.0), np.radians(-10.0)
    g_body = 9.81 * np.array(
        [-np.sin(pitch), np.sin(roll) * np.cos(pitch), np.cos(roll) * np.cos(pitch)]
    )
    acc = g_body[None, :] + rng.normal(0, 0.05, (n, 3))
    gyro = rng.normal(0, 0.002, (n, 3))
    q = fn(gyro.copy(), acc.copy(), fs, 0.1)
    assert isinstance(q, np.ndarray), f"expected np.ndarray, got {type(q).__name__}"
    assert q.shape == (n, 4), f"shape {q.shape}, expected ({n}, 4) quaternions [w, x, y, z]"
    assert np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-6), "quaternions must be unit norm"
    up = _rotate(q[-1], g_body / 9.81)
    tilt_err = np.degrees(np.arccos(np.clip(up[2], -1, 1)))
    assert tilt_err < 2.0, (
        f"after 20 s gravity rotated by q is {tilt_err:.1f} deg from +z (beta must pull the "
        "estimate towards the accelerometer; check the quaternion convention)"
    )
    # 2) flat rotation about z at 30 deg/s for 3 s: heading of the sensor x axis is 90 deg
    n = int(3 * fs)
    acc = np.tile([0.0, 0.0, 9.81], (n, 1))
    gyro = np.tile([0.0, 0.0, np.radians(30.0)], (n, 1))
    q = fn(gyro, acc, fs, 0.1)
    x_axis = _rotate(q[-1], np.array([1.0, 0.0, 0.0]))
    heading = np.degrees(np.arctan2(x_axis[1], x_axis[0]))
    assert abs(heading - 90.0) < 3.0, (
        f"heading {heading:.1f} deg after 3 s at 30 deg/s, expected 90"
    )
