"""Train and apply a human-activity classifier on accelerometer windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier

TASK = {
    "id": "imu_har_classifier",
    "category": "classification",
    "modality": "imu",
    "difficulty": "medium",
    "methods": ["RandomForestClassifier", "fit", "predict", "std", "rfft"],
}

FUNCTION = "classify_activities"
SPEC = """Target: Human activity recognition: per window extract features per axis (mean, standard
deviation, min, max) and of the magnitude (mean, standard deviation, dominant frequency from the
FFT), train a RandomForestClassifier (100 trees, random_state=0) on the training windows and
predict the class of each test window.

Input Specification:
- x_train (np.ndarray): training windows of accelerations in m/s^2, shape (n_train, win, 3).
- y_train (np.ndarray): activity label per training window, int64, shape (n_train,).
- x_test (np.ndarray): test windows, shape (n_test, win, 3).
- fs (float): sampling rate in Hz.

Output Specification:
- y_pred (np.ndarray): predicted label per test window, int64, shape (n_test,).
"""


def _features(x: np.ndarray, fs: float) -> np.ndarray:
    mag = np.linalg.norm(x, axis=2)
    spec = np.abs(np.fft.rfft(mag - mag.mean(axis=1, keepdims=True), axis=1))
    dom = np.fft.rfftfreq(x.shape[1], 1.0 / fs)[np.argmax(spec, axis=1)]
    return np.column_stack([x.mean(1), x.std(1), x.min(1), x.max(1), mag.mean(1), mag.std(1), dom])


def classify_activities(
    x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, fs: float
) -> np.ndarray:
    model = RandomForestClassifier(n_estimators=100, random_state=0)
    model.fit(_features(np.asarray(x_train, float), fs), np.asarray(y_train))
    return np.asarray(model.predict(_features(np.asarray(x_test, float), fs)), dtype=np.int64)


def _windows(n: int, fs: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    win = int(2.56 * fs)
    t = np.arange(win) / fs
    xs, ys = [], []
    for i in range(n):
        label = i % 3
        g = rng.normal(0, 1, 3)
        g = 9.81 * g / np.linalg.norm(g)  # random wrist orientation
        x = np.tile(g, (win, 1)) + rng.normal(0, 0.1, (win, 3))
        phase = rng.uniform(0, 2 * np.pi)
        if label == 1:  # walking: 1.6-2.2 Hz, strong
            f = rng.uniform(1.6, 2.2)
            x += np.outer(3.0 * np.sin(2 * np.pi * f * t + phase), rng.normal(0, 1, 3))
        elif label == 2:  # tooth brushing: 4-6 Hz, weak
            f = rng.uniform(4.0, 6.0)
            x += np.outer(0.8 * np.sin(2 * np.pi * f * t + phase), rng.normal(0, 1, 3))
        xs.append(x)
        ys.append(label)
    return np.stack(xs), np.array(ys, dtype=np.int64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(151)
    fs = 50.0
    x_tr, y_tr = _windows(150, fs, rng)
    x_te, y_te = _windows(60, fs, rng)
    y = fn(x_tr.copy(), y_tr.copy(), x_te.copy(), fs)
    assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
    assert y.shape == (60,), f"shape {y.shape}, expected one label per test window (60,)"
    acc = float(np.mean(y.astype(np.int64) == y_te))
    assert acc >= 0.9, f"test accuracy {acc:.2f} < 0.9 on clearly separable activities"
