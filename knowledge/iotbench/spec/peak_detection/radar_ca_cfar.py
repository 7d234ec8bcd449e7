"""Detect targets in a radar range profile with cell-averaging CFAR."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "radar_ca_cfar",
    "category": "peak_detection",
    "modality": "radar",
    "difficulty": "hard",
    "methods": ["cfar", "ca_cfar", "cumsum", "convolve"],
}

FUNCTION = "ca_cfar"
SPEC = """Target: 1-D cell-averaging CFAR: for each cell under test average the power of n_train
training cells on each side, skipping n_guard guard cells on each side; with N = 2 * n_train the
threshold is alpha * noise where alpha = N * (pfa ** (-1 / N) - 1); a cell is a detection when its
power exceeds the threshold. Cells whose full training window does not fit are never detections.

Input Specification:
- power (np.ndarray): range-profile power (linear scale, not dB), float64, shape (n_cells,).
- n_train (int): training cells on each side of the cell under test.
- n_guard (int): guard cells on each side of the cell under test.
- pfa (float): desired probability of false alarm, e.g. 1e-3.

Output Specification:
- detections (np.ndarray): bool mask, True where a target is detected, shape (n_cells,).
"""


def ca_cfar(power: np.ndarray, n_train: int, n_guard: int, pfa: float) -> np.ndarray:
    p = np.asarray(power, dtype=np.float64)
    n = p.size
    n_total = 2 * n_train
    alpha = n_total * (pfa ** (-1.0 / n_total) - 1.0)
    csum = np.concatenate([[0.0], np.cumsum(p)])
    det = np.zeros(n, dtype=bool)
    reach = n_train + n_guard
    for i in range(reach, n - reach):
        lead = csum[i - n_guard] - csum[i - reach]
        lag = csum[i + reach + 1] - csum[i + n_guard + 1]
        det[i] = p[i] > alpha * (lead + lag) / n_total
    return det


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(21)
    n = 4000
    noise_level = np.where(np.arange(n) < n // 2, 1.0, 10.0)  # clutter edge half-way
    power = rng.exponential(1.0, n) * noise_level
    weak_targets = np.array([300, 700, 1200])
    strong_targets = np.array([2500, 3100, 3600])
    power[weak_targets] = 40.0
    power[strong_targets] = 400.0
    det = fn(power.copy(), 16, 2, 1e-3)
    assert isinstance(det, np.ndarray), f"expected np.ndarray, got {type(det).__name__}"
    assert det.shape == power.shape, f"shape {det.shape} != {power.shape}"
    assert det.dtype == bool, f"detections must be a bool mask, got {det.dtype}"
    targets = np.concatenate([weak_targets, strong_targets])
    assert np.all(det[targets]), f"missed targets at cells {targets[~det[targets]].tolist()}"
    false_alarms = int(det.sum()) - int(det[targets].sum())
    assert false_alarms <= 20, (
        f"{false_alarms} false alarms in {n} cells at pfa=1e-3: the threshold must follow the "
        "local noise level (cell averaging), not a global level"
    )
    assert not det[:18].any() and not det[-18:].any(), (
        "edge cells without a full training window must not be detections"
    )
    flat = np.asarray(fn(np.ones(200), 8, 2, 1e-3))
    assert not flat.any(), "a flat profile has no detections"
