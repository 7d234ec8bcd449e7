"""Detect anomalies in a daily-periodic sensor series from its seasonal residual."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "env_seasonal_residual",
    "category": "anomaly",
    "modality": "environmental",
    "difficulty": "hard",
    "methods": ["seasonal", "median", "MAD", "residual"],
}

FUNCTION = "seasonal_anomalies"
SPEC = """Target: Seasonal anomaly detection: the daily profile at phase p = i % samples_per_day is
the median over days of the readings at that phase; residual = reading - profile[phase];
a reading is anomalous when |residual - median(residual)| > threshold * 1.4826 * MAD(residual).

Input Specification:
- values (np.ndarray): evenly sampled readings over several whole days (e.g. hourly energy use in
  kWh), float64, shape (n,).
- samples_per_day (int): number of samples per day (24 for hourly data).
- threshold (float): number of robust standard deviations, e.g. 4.0.

Output Specification:
- anomalies (np.ndarray): bool mask of anomalous readings, shape (n,).
"""


def seasonal_anomalies(values: np.ndarray, samples_per_day: int, threshold: float) -> np.ndarray:
    x = np.asarray(values, dtype=np.float64)
    phase = np.arange(x.size) % samples_per_day
    profile = np.array([np.median(x[phase == p]) for p in range(samples_per_day)])
    resid = x - profile[phase]
    centre = np.median(resid)
    mad = 1.4826 * np.median(np.abs(resid - centre))
    return np.abs(resid - centre) > threshold * mad


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(131)
    days = 21
    hours = np.arange(days * 24)
    daily = 1.0 + 3.0 * np.clip(np.sin(2 * np.pi * ((hours % 24) - 6) / 24), 0, None)
    x = daily + 0.15 * rng.standard_normal(hours.size)
    night = 5 * 24 + 2  # 02:00 on day 5 at a day-time level
    x[night] = 3.8
    spike = 12 * 24 + 13
    x[spike] += 2.0
    out = fn(x.copy(), 24, 4.0)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == x.shape and out.dtype == bool, "return a bool mask with the input's shape"
    assert bool(out[night]), (
        "a night reading at day-time level is anomalous (compare per hour of day)"
    )
    assert bool(out[spike]), "the day-time spike must be flagged"
    assert int(out.sum()) <= 6, (
        f"{int(out.sum())} readings flagged: the daily cycle is not anomalous"
    )
